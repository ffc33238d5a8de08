//! Area of a circle: an Azure Functions custom handler in Rust (standard library only).
//!
//! host.json turns on forwarding mode, so the Functions host passes each caller's request
//! through unchanged, on its original path:
//!
//! ```text
//! GET|POST /api/circle?radius=2        or   POST /api/circle  {"radius": 2}
//! -> 200 {"radius":2.0,"area":12.566370614359172}
//! -> 400 {"error":"..."} for a missing or bad radius
//! ```
//!
//! The host starts target/release/handler with the port to listen on in
//! FUNCTIONS_CUSTOMHANDLER_PORT.

mod http;
mod json;

use std::env;
use std::f64::consts::PI;
use std::net::TcpListener;
use std::process;

use http::{Request, Response};
use json::Value;

const FUNCTION_PATH: &str = "/api/circle"; // routePrefix "api" + function name

const MISSING: &str = r#"missing radius: use ?radius=R or a JSON body {"radius": R}"#;
const NOT_A_NUMBER: &str = "radius must be a number";
const BAD_JSON: &str = r#"body must be a JSON object such as {"radius": 2}"#;

fn main() {
    let port = port();
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap_or_else(|e| {
        eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
        process::exit(1);
    });
    println!("circle handler listening on http://127.0.0.1:{port}");
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
    let path = request.path();
    if path == "/" {
        return Response::empty(200); // the host's readiness probe: any answer will do
    }
    // The host matches routes case-insensitively and forwards the path as the caller wrote it.
    if !path.eq_ignore_ascii_case(FUNCTION_PATH) {
        return error(404, "not found");
    }
    match parse_radius(request).and_then(circle) {
        // {:?} prints every digit needed to read the exact double back, and stays valid
        // JSON for finite values: 2.0, 12.566370614359172, 1e-5.
        Ok((radius, area)) => {
            Response::json(200, format!(r#"{{"radius":{radius:?},"area":{area:?}}}"#))
        }
        Err(message) => error(400, message),
    }
}

fn error(status: u16, message: &str) -> Response {
    Response::json(status, format!(r#"{{"error":{}}}"#, json::quote(message)))
}

/// The radius from ?radius=R if given, otherwise from a JSON body {"radius": R}.
fn parse_radius(request: &Request) -> Result<f64, &'static str> {
    if let Some(text) = query_parameter(request.query(), "radius") {
        // Only these characters, so that "inf" and "NaN", which f64::from_str would accept,
        // are rejected as in the other languages of this example.
        if text.is_empty() || !text.chars().all(|c| "0123456789+-.eE".contains(c)) {
            return Err(NOT_A_NUMBER);
        }
        return text.parse().map_err(|_| NOT_A_NUMBER);
    }
    let body = std::str::from_utf8(&request.body).map_err(|_| BAD_JSON)?;
    if body.trim().is_empty() {
        return Err(MISSING);
    }
    let Ok(Value::Object(members)) = json::parse(body) else {
        return Err(BAD_JSON);
    };
    match members.get("radius") {
        Some(Value::Number(radius)) => Ok(*radius),
        Some(_) => Err(NOT_A_NUMBER),
        None => Err(MISSING),
    }
}

fn circle(radius: f64) -> Result<(f64, f64), &'static str> {
    if radius < 0.0 {
        return Err("radius must not be negative");
    }
    let area = PI * radius * radius;
    if area.is_infinite() {
        return Err("radius is too large");
    }
    Ok((radius, area))
}

/// The first value of `name` in a query string, percent-decoded; `+` means a space.
fn query_parameter(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(key) == name).then(|| percent_decode(value))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = text
            .get(i + 1..i + 3)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
