//! "hello world" as an Azure Functions custom handler in Rust (standard library only), in the
//! default JSON-envelope mode. It imitates the Rocket handler of the No Huddle Offense blog
//! post "Write your functions in Rust – with Azure & Rocket" (2021), with std instead of Rocket.
//!
//! The caller sends `GET|POST /api/hello` to the Functions host. The host then POSTs an
//! invocation request to this handler on `/hello` (the function's name):
//!
//! ```text
//! {"Data": {"req": {"Url": ..., "Method": ..., "Query": ..., "Headers": ..., ...}}, "Metadata": {...}}
//! ```
//!
//! and turns the JSON answer into the caller's HTTP response: `{"msg":"hello world"}`.
//! The host starts target/release/hello with the port to listen on in
//! FUNCTIONS_CUSTOMHANDLER_PORT.

mod http;

use std::env;
use std::net::TcpListener;
use std::process;

use http::{Request, Response};

/// The invocation result for every call.
///
/// - The host reads the top-level keys case-insensitively, so the lowercase spelling of the
///   Rocket handler (`returnvalue`, `outputs`, `logs`) works.
/// - `returnvalue` goes to the `$return` http output binding. Being an object with a `body`
///   key, it describes the HTTP response: status, headers and body (a string, sent as is).
/// - `outputs` is empty: this function has no named output bindings.
/// - `logs` lines appear in the host's log for this invocation.
const HELLO: &str = r#"{"returnvalue":{"statusCode":200,"body":"{\"msg\":\"hello world\"}","headers":{"Content-Type":"application/json"}},"outputs":{},"logs":["hello was called"]}"#;

fn main() {
    let port = port();
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap_or_else(|e| {
        eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
        process::exit(1);
    });
    println!("hello handler listening on http://127.0.0.1:{port}");
    http::serve(listener, route);
}

fn port() -> u16 {
    let value = ["FUNCTIONS_CUSTOMHANDLER_PORT", "FUNCTIONS_HTTPWORKER_PORT"]
        .iter()
        .filter_map(|name| env::var(name).ok())
        .find(|value| !value.is_empty());
    match value {
        None => 8080,
        Some(value) => value.parse().unwrap_or_else(|_| {
            eprintln!("bad port number {value:?}");
            process::exit(1);
        }),
    }
}

fn route(request: &Request) -> Response {
    match (request.method.as_str(), request.path()) {
        // The host's readiness probe. Any answer would do; the Rocket handler answered "".
        (_, "/") => Response::empty(200),
        // An invocation of the function "hello". The envelope in the body is not needed here.
        ("POST", "/hello") => Response::json(200, HELLO.to_string()),
        _ => Response::empty(404),
    }
}
