//! A small HTTP/1.1 server on `std::net`, enough for a custom handler whose only client is
//! the Functions host on the loopback interface: one thread per connection, keep-alive,
//! `Content-Length` and chunked request bodies, `Expect: 100-continue`, case-insensitive
//! header names. Responses always carry a `Content-Length`.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::thread;
use std::time::{Duration, Instant};

const MAX_LINE: usize = 8 * 1024; // the request line, or one header line
const MAX_HEADERS: usize = 100;
// An invocation request carries the caller's whole body inside its JSON envelope, base64-
// encoded if binary; the host accepts bodies of up to 100 MB from callers.
const MAX_BODY: usize = 256 << 20;
// Close connections idle for this long. .NET's connection pool, which the host uses, drops
// idle connections after 1 or 2 minutes (depending on the version), so it is the host that
// closes a pooled connection, not us just as it sends a request on it.
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

pub struct Request {
    pub method: String,
    /// The request target as sent: path and query, e.g. `/api/circle?radius=2`.
    pub target: String,
    version: String,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first header with this name, compared case-insensitively as HTTP requires.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// HTTP/1.1 connections stay open unless the client says otherwise. HTTP/1.0 clients
    /// get one request per connection, which keeps this server simple.
    fn keep_alive(&self) -> bool {
        let close = self.header("connection").is_some_and(|value| {
            value
                .split(',')
                .any(|token| token.trim().eq_ignore_ascii_case("close"))
        });
        self.version == "HTTP/1.1" && !close
    }
}

pub struct Response {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn empty(status: u16) -> Response {
        Response {
            status,
            content_type: None,
            body: Vec::new(),
        }
    }

    pub fn json(status: u16, body: String) -> Response {
        Response {
            status,
            content_type: Some("application/json"),
            body: body.into_bytes(),
        }
    }

    fn text(status: u16, body: &str) -> Response {
        Response {
            status,
            content_type: Some("text/plain; charset=utf-8"),
            body: body.into(),
        }
    }
}

/// Serves connections from `listener` forever, calling `handler` for each request.
pub fn serve(listener: TcpListener, handler: fn(&Request) -> Response) {
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                thread::spawn(move || {
                    // An error here only means the peer went away; nothing to do about it.
                    let _ = serve_connection(stream, handler);
                });
            }
            // For example too many open files: keep serving the connections we have.
            Err(e) => eprintln!("accept failed: {e}"),
        }
    }
}

/// Why no request could be read from a connection.
enum ReadError {
    /// The client closed the connection, went idle, or the socket failed: just drop it.
    Closed,
    /// A malformed request: answer with this status and close, since we no longer know
    /// where the next request would start.
    Reject(u16, &'static str),
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> ReadError {
        ReadError::Closed
    }
}

fn serve_connection(stream: TcpStream, handler: fn(&Request) -> Response) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
    stream.set_nodelay(true)?; // responses are written whole, so send them at once
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader, &mut writer) {
            Ok(request) => request,
            Err(ReadError::Closed) => return Ok(()),
            Err(ReadError::Reject(status, reason)) => {
                write_response(&mut writer, &Response::text(status, reason), false, false)?;
                close_gracefully(reader, &writer);
                return Ok(());
            }
        };
        // A panicking handler answers 500 instead of dropping the connection.
        let response = panic::catch_unwind(AssertUnwindSafe(|| handler(&request)))
            .unwrap_or_else(|_| Response::text(500, "internal error"));
        let keep_alive = request.keep_alive();
        write_response(&mut writer, &response, keep_alive, request.method == "HEAD")?;
        if !keep_alive {
            return Ok(());
        }
    }
}

/// Closes a connection whose client may still be sending (say, a body that is too large).
/// Closing a socket with unread input makes the kernel send a reset, which can destroy the
/// response before the client reads it. So stop writing, and discard input for a moment.
fn close_gracefully(mut reader: BufReader<TcpStream>, writer: &TcpStream) {
    let _ = writer.shutdown(Shutdown::Write);
    let _ = writer.set_read_timeout(Some(Duration::from_millis(500))); // the reader's socket too
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut discard = [0; 64 * 1024];
    while Instant::now() < deadline && matches!(reader.read(&mut discard), Ok(n) if n > 0) {}
}

fn read_request(
    reader: &mut BufReader<TcpStream>,
    writer: &mut TcpStream,
) -> Result<Request, ReadError> {
    // Clients may send empty lines between requests (RFC 9112, section 2.2).
    let mut line = read_line(reader)?;
    while line.is_empty() {
        line = read_line(reader)?;
    }
    let parts: Vec<&str> = line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(ReadError::Reject(400, "malformed request line"));
    };
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(ReadError::Reject(
            505,
            "only HTTP/1.0 and HTTP/1.1 are supported",
        ));
    }

    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(ReadError::Reject(431, "too many header fields"));
        }
        match line.split_once(':') {
            Some((name, value)) if !name.is_empty() && !name.ends_with([' ', '\t']) => {
                headers.push((name.to_string(), value.trim().to_string()));
            }
            _ => return Err(ReadError::Reject(400, "malformed header field")),
        }
    }

    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        headers,
        body: Vec::new(),
    };
    request.body = read_body(&request, reader, writer)?;
    Ok(request)
}

fn read_body(
    request: &Request,
    reader: &mut BufReader<TcpStream>,
    writer: &mut TcpStream,
) -> Result<Vec<u8>, ReadError> {
    let chunked = match request.header("transfer-encoding") {
        None => false,
        Some(coding) if coding.eq_ignore_ascii_case("chunked") => true,
        Some(_) => return Err(ReadError::Reject(501, "unsupported transfer-encoding")),
    };
    let length = match request.header("content-length") {
        // Both framings at once is how request smuggling starts: refuse it (RFC 9112, 6.3).
        Some(_) if chunked => {
            return Err(ReadError::Reject(
                400,
                "both content-length and transfer-encoding",
            ))
        }
        Some(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse().unwrap_or(usize::MAX)
        }
        Some(_) => return Err(ReadError::Reject(400, "malformed content-length")),
        None => 0,
    };
    if length > MAX_BODY {
        return Err(ReadError::Reject(413, "request body too large"));
    }
    if !chunked && length == 0 {
        return Ok(Vec::new());
    }

    // curl, for one, waits a moment for this before sending a large body.
    let expects_continue = request
        .header("expect")
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
    if expects_continue && request.version == "HTTP/1.1" {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }

    if chunked {
        return read_chunked(reader);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(body)
}

/// Decodes a chunked body: chunks of `<hex size>[;extensions]\r\n<data>\r\n`, ended by a
/// chunk of size 0 and optional trailer fields, which are ignored.
fn read_chunked(reader: &mut BufReader<TcpStream>) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader)?;
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = match usize::from_str_radix(size_text, 16) {
            Ok(size) if size_text.bytes().all(|b| b.is_ascii_hexdigit()) => size,
            _ => return Err(ReadError::Reject(400, "malformed chunk size")),
        };
        if size == 0 {
            break;
        }
        if size > MAX_BODY - body.len() {
            return Err(ReadError::Reject(413, "request body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        if !read_line(reader)?.is_empty() {
            return Err(ReadError::Reject(400, "chunk longer than its size"));
        }
    }
    while !read_line(reader)?.is_empty() {} // trailer fields
    Ok(body)
}

/// Reads one line and strips its CRLF (or bare LF).
fn read_line(reader: &mut BufReader<TcpStream>) -> Result<String, ReadError> {
    let mut line = Vec::new();
    reader
        .by_ref()
        .take(MAX_LINE as u64)
        .read_until(b'\n', &mut line)?;
    if line.last() != Some(&b'\n') {
        return Err(match line.len() {
            MAX_LINE => ReadError::Reject(400, "line too long"),
            _ => ReadError::Closed, // end of stream, possibly in mid-line
        });
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    // Field values may in theory hold non-UTF-8 bytes; nothing here needs them exact.
    Ok(String::from_utf8_lossy(&line).into_owned())
}

fn write_response(
    writer: &mut TcpStream,
    response: &Response,
    keep_alive: bool,
    is_head: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\n",
        response.status,
        reason_phrase(response.status),
        response.body.len()
    );
    if let Some(content_type) = response.content_type {
        head += &format!("Content-Type: {content_type}\r\n");
    }
    if !keep_alive {
        head += "Connection: close\r\n";
    }
    head += "\r\n";
    // One buffer, one write: a separate small write for the body can be delayed by Nagle's
    // algorithm waiting on the client's delayed ACK.
    let mut bytes = head.into_bytes();
    if !is_head {
        bytes.extend_from_slice(&response.body); // a response to HEAD has no body
    }
    writer.write_all(&bytes)
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "", // the reason phrase is optional; clients go by the number
    }
}
