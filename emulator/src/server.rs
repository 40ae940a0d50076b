//! The accept loop. hyper's HTTP/1 connections directly rather than `axum::serve`, which offers no
//! header-read timeout: a client that opens a connection and never finishes its request headers
//! (slowloris) is disconnected after `Config::header_read_timeout`. WebSocket upgrades and graceful
//! shutdown work as with `axum::serve`.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How long shutdown waits for requests in flight (an injected delay can hold one for a minute).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// A failed accept (out of file descriptors, say) is retried after this, not in a busy loop.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = http1::Builder::new();
    // The timer runs while a request's headers are awaited, so it also closes idle keep-alive connections.
    http.timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
    let service = TowerToHyperService::new(app);
    // `stop` tells connections to finish; each holds a clone of `open_rx`, so `open_tx.closed()` is when
    // all have.
    let (stop_tx, stop_rx) = watch::channel(());
    let (open_tx, open_rx) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        // Each write goes out at once, as the service's own front does: with Nagle's algorithm a response
        // written in two parts (headers, then a small body; a WebSocket handshake) waited for the client's
        // delayed acknowledgement, 40 ms on Linux, in about half the page loads the benchmark timed.
        let _ = stream.set_nodelay(true);
        let conn = http.serve_connection(TokioIo::new(stream), service.clone()).with_upgrades();
        let mut stop = stop_rx.clone();
        let open = open_rx.clone();
        tokio::spawn(async move {
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {
                    // Finish the request in flight, if any, then close (an idle connection closes at once).
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(open);
        });
    }
    drop(listener);
    let _ = stop_tx.send(());
    drop(open_rx);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, open_tx.closed()).await;
}
