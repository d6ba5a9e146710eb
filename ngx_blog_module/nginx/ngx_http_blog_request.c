
/*
 * The life of a request that waits: its context, parking it while the
 * thread pool works (for an index or a page) and resuming it at the step
 * that waited.  A parked request holds a reference and blocks its main
 * request, so nginx keeps it even when it terminates it meanwhile (a bad
 * body, a timeout): the step that resumes it then finds nginx's
 * finalizer as its handler, and finalizing is all that is left to do.
 * What the request waited for is the caller's to tidy, whatever the
 * request has become.
 */


#include "ngx_http_blog_module.h"


#define NGX_HTTP_BLOG_PARK_TIMER  60000


static void ngx_http_blog_park_rearm(ngx_event_t *ev);
static void ngx_http_blog_wake_posted(ngx_event_t *ev);


/*
 * A request parked on the thread pool has no timer, and a worker shutting
 * down gracefully (a reload) exits once only cancelable timers are left,
 * dropping such requests with "open socket left in connection".  This
 * timer, armed while any request is parked, keeps the worker until the
 * last one is answered; worker_shutdown_timeout still bounds the wait.
 */

static ngx_uint_t   ngx_http_blog_parked;
static ngx_event_t  ngx_http_blog_park_timer;

/* requests to wake on the next turn of the event loop */

static ngx_queue_t  ngx_http_blog_wake_queue;
static ngx_event_t  ngx_http_blog_wake_event;


ngx_http_blog_ctx_t *
ngx_http_blog_ctx(ngx_http_request_t *r)
{
    ngx_http_blog_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_blog_module);

    if (ctx == NULL) {
        ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_blog_ctx_t));
        if (ctx == NULL) {
            return NULL;
        }

        ctx->request = r;
        ngx_http_set_ctx(r, ctx, ngx_http_blog_module);
    }

    return ctx;
}


/*
 * Parks the request until ngx_http_blog_resume(): resume is the step to
 * go on with.  The caller returns NGX_DONE.
 */

void
ngx_http_blog_park(ngx_http_request_t *r, ngx_http_event_handler_pt resume)
{
    r->main->count++;
    r->main->blocked++;
    r->aio = 1;
    r->write_event_handler = resume;

    if (ngx_http_blog_parked++ == 0) {
        ngx_http_blog_park_timer.handler = ngx_http_blog_park_rearm;
        ngx_http_blog_park_timer.log = ngx_cycle->log;
        ngx_add_timer(&ngx_http_blog_park_timer, NGX_HTTP_BLOG_PARK_TIMER);
    }
}


/*
 * Runs the step the request waits for, or, for a request nginx terminated
 * meanwhile, its finalizer.  The request may be gone when this returns.
 */

void
ngx_http_blog_resume(ngx_http_request_t *r)
{
    ngx_connection_t  *c;

    c = r->connection;

    ngx_http_set_log_request(c->log, r);

    r->main->blocked--;
    r->aio = 0;

    if (--ngx_http_blog_parked == 0 && ngx_http_blog_park_timer.timer_set) {
        ngx_del_timer(&ngx_http_blog_park_timer);
    }

    r->write_event_handler(r);

    ngx_http_run_posted_requests(c);
}


/* resumes every request of a queue of ngx_http_blog_ctx_t */

void
ngx_http_blog_wake(ngx_queue_t *queue)
{
    ngx_queue_t          *q;
    ngx_http_blog_ctx_t  *ctx;

    while (!ngx_queue_empty(queue)) {
        q = ngx_queue_head(queue);
        ngx_queue_remove(q);

        ctx = ngx_queue_data(q, ngx_http_blog_ctx_t, queue);

        ngx_http_blog_resume(ctx->request);
    }
}


/*
 * The same, on the next turn of the event loop: for a caller that must
 * not run requests where it is, such as a pool cleanup.
 */

void
ngx_http_blog_wake_later(ngx_queue_t *queue)
{
    if (ngx_queue_empty(queue)) {
        return;
    }

    if (ngx_http_blog_wake_event.handler == NULL) {
        ngx_queue_init(&ngx_http_blog_wake_queue);
        ngx_http_blog_wake_event.handler = ngx_http_blog_wake_posted;
        ngx_http_blog_wake_event.log = ngx_cycle->log;
    }

    ngx_queue_add(&ngx_http_blog_wake_queue, queue);
    ngx_queue_init(queue);

    if (!ngx_http_blog_wake_event.posted) {
        ngx_post_event(&ngx_http_blog_wake_event, &ngx_posted_events);
    }
}


static void
ngx_http_blog_wake_posted(ngx_event_t *ev)
{
    ngx_queue_t  queue;

    ngx_queue_init(&queue);
    ngx_queue_add(&queue, &ngx_http_blog_wake_queue);
    ngx_queue_init(&ngx_http_blog_wake_queue);

    ngx_http_blog_wake(&queue);
}


static void
ngx_http_blog_park_rearm(ngx_event_t *ev)
{
    ngx_add_timer(ev, NGX_HTTP_BLOG_PARK_TIMER);
}
