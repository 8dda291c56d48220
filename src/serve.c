/* serve.c - `khotin serve`: the archive in a browser.
 *
 * libmicrohttpd with an internal polling thread, or a pool of
 * opts->threads of them; each worker thread opens its own read-only
 * connection to the archive the first time it answers an /api/ request
 * (thread-local, registered here so they are closed at shutdown). SQLite's
 * WAL lets these readers run while an import writes from another process;
 * the library sets a busy timeout.
 *
 * The page, its CSS and its JavaScript are compiled in (web_assets.c, made
 * from src/web/ at build time); nothing is read from disk but the archive.
 * Every answer carries a strict Content-Security-Policy, nosniff and
 * no-referrer. Requests: GET or HEAD only (405), no body (413), a target of
 * at most KH_SERVE_MAX_URI bytes (414), and, when listening on loopback, a
 * Host header naming this server (403 otherwise, against DNS rebinding).
 *
 * SIGINT and SIGTERM (blocked in the workers) write to a self-pipe; the
 * calling thread waits on it, stops the daemon, closes the connections and
 * returns KHOTIN_OK.
 */
#include "internal.h"

#ifndef KHOTIN_WITH_SERVE
/* Built without the server: CMake defines KHOTIN_WITH_SERVE when it links
 * libmicrohttpd and compiles serve_api.c, serve_util.c and web_assets.c. */
int khotin_serve(const char *db_path, const khotin_serve_opts *opts)
{
    (void)db_path;
    (void)opts;
    return kh_error(KHOTIN_ERROR, "this khotin was built without the web server");
}
#else

#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; " \
            "img-src 'self' data:; connect-src 'self'; base-uri 'none'; " \
            "form-action 'self'; frame-ancestors 'none'"

enum { CONNECTION_TIMEOUT_S = 30, CONNECTION_LIMIT = 256 };

typedef struct server {
    const char *db_path;
    unsigned generation;   /* tells this server's thread-local handles apart */
    int check_host;        /* listening on loopback: check the Host header */
    char hosts[4][300];    /* Host values accepted when check_host */
    size_t nhosts;
    pthread_mutex_t lock;  /* guards dbs */
    khotin_db **dbs;       /* every worker's connection, closed at the end */
    size_t ndbs, capdbs;
} server;

/* Per request: the request target as received (from the URI callback). */
typedef struct request_state {
    char *target;
    size_t target_len;
    int checked; /* the headers passed the checks; answer on the next call */
} request_state;

static _Thread_local khotin_db *tls_db;
static _Thread_local unsigned tls_generation;
static unsigned next_generation = 1;

/* ---- the archive, one read-only connection per worker thread ---- */

static khotin_db *thread_db(server *s, char *err, size_t errn)
{
    if (tls_db && tls_generation == s->generation)
        return tls_db;
    khotin_db *db;
    if (khotin_open(s->db_path, KHOTIN_OPEN_READONLY, &db)) {
        snprintf(err, errn, "%s", khotin_last_error());
        return NULL;
    }
    pthread_mutex_lock(&s->lock);
    if (s->ndbs == s->capdbs) {
        size_t cap = s->capdbs ? s->capdbs * 2 : 8;
        khotin_db **p = realloc(s->dbs, cap * sizeof *p);
        if (!p) {
            pthread_mutex_unlock(&s->lock);
            khotin_close(db);
            snprintf(err, errn, "out of memory");
            return NULL;
        }
        s->dbs = p;
        s->capdbs = cap;
    }
    s->dbs[s->ndbs++] = db;
    pthread_mutex_unlock(&s->lock);
    tls_db = db;
    tls_generation = s->generation;
    return db;
}

/* ---- responses ---- */

static void add_common_headers(struct MHD_Response *r, const char *content_type,
                               const char *cache)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache);
}

/* Queue `res` (its body is handed over to libmicrohttpd). */
static enum MHD_Result send_response(struct MHD_Connection *c, kh_response *res,
                                     const char *allow)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        res->len, res->body, res->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(res->body);
        return MHD_NO;
    }
    add_common_headers(r, res->content_type ? res->content_type : "text/plain; charset=utf-8",
                       "no-store");
    if (res->disposition)
        MHD_add_response_header(r, "Content-Disposition", res->disposition);
    if (allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    if (res->retry_after) {
        char v[16];
        snprintf(v, sizeof v, "%d", res->retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, v);
    }
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *msg,
                                  const char *allow)
{
    kh_response res;
    memset(&res, 0, sizeof res);
    kh_api_error(&res, status, msg);
    return send_response(c, &res, allow);
}

static enum MHD_Result send_asset(struct MHD_Connection *c, const kh_web_asset *a)
{
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_IF_NONE_MATCH);
    int fresh = inm && strstr(inm, a->etag) != NULL;
    struct MHD_Response *r = MHD_create_response_from_buffer(
        fresh ? 0 : a->len, fresh ? NULL : (void *)a->data, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    add_common_headers(r, a->content_type, "no-cache");
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, a->etag);
    enum MHD_Result ok = MHD_queue_response(c, fresh ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* ---- requests ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    request_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->target_len = strlen(uri);
    /* an over-long target is refused: keep only its length */
    if (st->target_len <= KH_SERVE_MAX_URI && !(st->target = strdup(uri))) {
        free(st);
        return NULL;
    }
    return st;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)c;
    (void)why;
    request_state *st = *con_cls;
    if (st) {
        free(st->target);
        free(st);
        *con_cls = NULL;
    }
}

static int has_body(struct MHD_Connection *c)
{
    const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if (te)
        return 1;
    if (!len)
        return 0;
    for (; *len; len++)
        if (*len != '0' && *len != ' ')
            return 1;
    return 0;
}

static int host_allowed(const server *s, struct MHD_Connection *c)
{
    if (!s->check_host)
        return 1;
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host)
        return 1; /* HTTP/1.0 without Host: not a browser */
    for (size_t i = 0; i < s->nhosts; i++)
        if (strcasecmp(host, s->hosts[i]) == 0)
            return 1;
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    server *s = cls;
    request_state *st = *con_cls;
    (void)url;
    (void)version;
    (void)upload_data;
    if (*upload_data_size) { /* a body we already refused */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!st)
        return send_error(c, 503, "out of memory", NULL);
    if (st->target_len > KH_SERVE_MAX_URI || !st->target)
        return send_error(c, 414, "the address is too long (8 KiB at most)",
                          NULL);
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
                          "only GET and HEAD: this server never changes the archive",
                          "GET, HEAD");
    if (has_body(c))
        return send_error(c, 413, "requests have no body here", NULL);
    if (!host_allowed(s, c))
        return send_error(c, MHD_HTTP_FORBIDDEN,
                          "unexpected Host header: open the address khotin serve printed",
                          NULL);
    /* Refusals above are answered at once (and close the connection); a
     * good request is answered on the next call, once the request is
     * complete, so the connection stays open for the next one. */
    if (!st->checked) {
        st->checked = 1;
        return MHD_YES;
    }
    kh_request req;
    if (kh_request_parse(st->target, &req)) {
        kh_request_free(&req);
        return send_error(c, 503, "out of memory", NULL);
    }
    enum MHD_Result ok;
    if (req.bad) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s is not valid: bad %%-escape or not UTF-8", req.bad_what);
        ok = send_error(c, MHD_HTTP_BAD_REQUEST, msg, NULL);
    } else if (strncmp(req.path, "/api/", 5) == 0) {
        char err[1024] = "";
        khotin_db *db = thread_db(s, err, sizeof err);
        kh_response res;
        kh_api_handle(db, err, &req, &res);
        ok = send_response(c, &res, NULL);
    } else {
        const kh_web_asset *asset = NULL;
        for (size_t i = 0; i < kh_web_asset_count; i++)
            if (strcmp(req.path, kh_web_assets[i].path) == 0)
                asset = &kh_web_assets[i];
        ok = asset ? send_asset(c, asset)
                   : send_error(c, MHD_HTTP_NOT_FOUND, "no such page", NULL);
    }
    kh_request_free(&req);
    return ok;
}

/* ---- listening ---- */

static int is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    }
    return 0;
}

/* Bind and listen on bind:port. Returns the socket, or -1 with the error
 * set. *family and *loopback describe the address bound. */
static int listen_on(const char *bind_addr, int port, int *family, int *loopback)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    int grc = getaddrinfo(bind_addr, portstr, &hints, &res);
    if (grc != 0) {
        kh_error(KHOTIN_ERROR, "cannot listen on %s: %s (give an address such as "
                               "127.0.0.1 to --bind)", bind_addr, gai_strerror(grc));
        return -1;
    }
    int fd = -1, err = 0;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (ai->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0) {
            err = errno;
            close(fd);
            fd = -1;
            continue;
        }
        *family = ai->ai_family;
        *loopback = is_loopback(ai->ai_addr);
    }
    freeaddrinfo(res);
    if (fd < 0) {
        if (err == EADDRINUSE)
            kh_error(KHOTIN_ERROR, "port %d on %s is in use: stop the other server or "
                                   "choose another port with --port N", port, bind_addr);
        else if (err == EACCES)
            kh_error(KHOTIN_ERROR, "not allowed to listen on port %d: choose a port above "
                                   "1023 with --port N", port);
        else
            kh_error(KHOTIN_ERROR, "cannot listen on %s port %d: %s", bind_addr, port,
                     strerror(err));
    }
    return fd;
}

/* ---- signals ---- */

static int signal_pipe[2] = {-1, -1};
static volatile sig_atomic_t signal_seen;

static void on_signal(int sig)
{
    int saved = errno;
    signal_seen = sig;
    if (signal_pipe[1] >= 0) {
        ssize_t n = write(signal_pipe[1], "x", 1);
        (void)n;
    }
    errno = saved;
}

static int make_pipe(int p[2])
{
    if (pipe(p) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(p[i], F_SETFD, FD_CLOEXEC);
        fcntl(p[i], F_SETFL, fcntl(p[i], F_GETFL) | O_NONBLOCK);
    }
    return 0;
}

/* ---- the server ---- */

int khotin_serve(const char *db_path, const khotin_serve_opts *opts)
{
    kh_error_clear();
    khotin_serve_opts o;
    memset(&o, 0, sizeof o);
    if (opts)
        o = *opts;
    const char *bind_addr = o.bind && *o.bind ? o.bind : "127.0.0.1";
    int port = o.port > 0 ? o.port : 8080;
    int threads = o.threads > 0 ? o.threads : 4;
    if (port > 65535)
        return kh_error(KHOTIN_ERROR, "port %d: choose a port from 1 to 65535", port);
    if (threads > 64)
        threads = 64;
    if (!db_path || !*db_path)
        return kh_error(KHOTIN_EIO, "no archive given");

    /* The archive must exist and be readable before anything listens. */
    khotin_db *probe;
    int rc = khotin_open(db_path, KHOTIN_OPEN_READONLY, &probe);
    if (rc)
        return rc;
    khotin_close(probe);

    server s;
    memset(&s, 0, sizeof s);
    s.db_path = db_path;
    s.generation = __atomic_fetch_add(&next_generation, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_init(&s.lock, NULL);

    int family = AF_INET, loopback = 0;
    int fd = listen_on(bind_addr, port, &family, &loopback);
    if (fd < 0) {
        pthread_mutex_destroy(&s.lock);
        return KHOTIN_ERROR;
    }
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &sslen) == 0)
        port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                        : ((struct sockaddr_in *)&ss)->sin_port);

    char url[400];
    int v6 = family == AF_INET6;
    int any = strcmp(bind_addr, "0.0.0.0") == 0 || strcmp(bind_addr, "::") == 0;
    if (any)
        snprintf(url, sizeof url, "http://%s:%d/", v6 ? "[::1]" : "127.0.0.1", port);
    else if (v6 && strchr(bind_addr, ':'))
        snprintf(url, sizeof url, "http://[%.256s]:%d/", bind_addr, port);
    else
        snprintf(url, sizeof url, "http://%.256s:%d/", bind_addr, port);
    s.check_host = loopback;
    snprintf(s.hosts[s.nhosts++], sizeof s.hosts[0], "127.0.0.1:%d", port);
    snprintf(s.hosts[s.nhosts++], sizeof s.hosts[0], "localhost:%d", port);
    snprintf(s.hosts[s.nhosts++], sizeof s.hosts[0], "[::1]:%d", port);
    snprintf(s.hosts[s.nhosts++], sizeof s.hosts[0], "%.*s", (int)(strlen(url) - 8),
             url + 7); /* host:port of the printed URL */

    if (make_pipe(signal_pipe) != 0) {
        close(fd);
        pthread_mutex_destroy(&s.lock);
        return kh_error(KHOTIN_ERROR, "cannot create a pipe: %s", strerror(errno));
    }
    signal_seen = 0;

    /* The workers start with SIGINT and SIGTERM blocked: they reach the
     * handler in this thread. */
    sigset_t block, old_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old_mask);
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD;
    if (v6)
        flags |= MHD_USE_IPv6;
    struct MHD_OptionItem pool[] = {
        {threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, threads, NULL},
        {MHD_OPTION_END, 0, NULL}};
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, &s,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, (void *)&s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)&s,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT,
        MHD_OPTION_ARRAY, pool,
        MHD_OPTION_END);
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);

    int status = KHOTIN_OK;
    if (!d) {
        close(fd);
        status = kh_error(KHOTIN_ERROR, "the web server could not start on %s", url);
    } else {
        if (o.on_ready)
            o.on_ready(o.ctx, url);
        while (!signal_seen) {
            struct pollfd pfd = {signal_pipe[0], POLLIN, 0};
            int n = poll(&pfd, 1, -1);
            if (n < 0 && errno != EINTR) {
                status = kh_error(KHOTIN_ERROR, "waiting for a signal failed: %s",
                                  strerror(errno));
                break;
            }
        }
        MHD_stop_daemon(d); /* joins the workers, closes the socket */
    }

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    close(signal_pipe[0]);
    close(signal_pipe[1]);
    signal_pipe[0] = signal_pipe[1] = -1;
    for (size_t i = 0; i < s.ndbs; i++)
        khotin_close(s.dbs[i]);
    free(s.dbs);
    pthread_mutex_destroy(&s.lock);
    return status;
}

#endif /* KHOTIN_WITH_SERVE */
