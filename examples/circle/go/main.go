// Area of a circle: an Azure Functions custom handler in Go (standard library only).
//
// host.json turns on forwarding mode, so the Functions host passes each caller's request
// through unchanged, on its original path:
//
//	GET|POST /api/circle?radius=2        or   POST /api/circle  {"radius": 2}
//	-> 200 {"radius":2,"area":12.566370614359172}
//	-> 400 {"error":"..."} for a missing or bad radius
//
// The host starts ./handler with the port to listen on in FUNCTIONS_CUSTOMHANDLER_PORT.
// net/http already does keep-alive, decodes chunked request bodies and runs each
// connection in its own goroutine.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
)

const (
	functionPath = "/api/circle" // routePrefix "api" + function name
	maxBody      = 1 << 20

	missing    = `missing radius: use ?radius=R or a JSON body {"radius": R}`
	notANumber = "radius must be a number"
	badJSON    = `body must be a JSON object such as {"radius": 2}`
)

// result keeps the field order of the other languages: {"radius":..,"area":..}.
type result struct {
	Radius float64 `json:"radius"`
	Area   float64 `json:"area"`
}

// badRequest is a client error, answered with its status and {"error": message}.
type badRequest struct {
	status  int
	message string
}

func (e *badRequest) Error() string { return e.message }

func fail(message string) error { return &badRequest{http.StatusBadRequest, message} }

// parseNumber turns decimal text into a float64. Only these characters are allowed so that
// "Inf", "NaN" and "0x1p4", which ParseFloat would accept, are rejected as in the other languages.
func parseNumber(text string) (float64, error) {
	if text == "" || strings.Trim(text, "0123456789+-.eE") != "" {
		return 0, fail(notANumber)
	}
	r, err := strconv.ParseFloat(text, 64)
	// ErrRange means the number is beyond float64 (r is ±Inf): circle() reports it as too large.
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fail(notANumber)
	}
	return r, nil
}

// parseRadius takes the radius from ?radius=R if given, otherwise from a JSON body {"radius": R}.
func parseRadius(r *http.Request, body []byte) (float64, error) {
	if values, ok := r.URL.Query()["radius"]; ok {
		return parseNumber(values[0])
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return 0, fail(missing)
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // keep the number's text, so that 1e400 is "too large" and not a decode error
	if err := dec.Decode(&doc); err != nil || dec.More() {
		return 0, fail(badJSON)
	}
	value, ok := doc["radius"]
	if !ok {
		return 0, fail(missing)
	}
	number, ok := value.(json.Number)
	if !ok {
		return 0, fail(notANumber)
	}
	return parseNumber(string(number))
}

func circle(radius float64) (result, error) {
	if radius < 0 {
		return result{}, fail("radius must not be negative")
	}
	area := math.Pi * radius * radius
	if math.IsInf(area, 0) {
		return result{}, fail("radius is too large")
	}
	return result{radius, area}, nil
}

func reply(w http.ResponseWriter, status int, doc any) {
	body, _ := json.Marshal(doc)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func replyError(w http.ResponseWriter, err error) {
	var bad *badRequest
	if !errors.As(err, &bad) {
		bad = &badRequest{http.StatusInternalServerError, "internal error"}
	}
	reply(w, bad.status, map[string]string{"error": bad.message})
}

func route(w http.ResponseWriter, r *http.Request) {
	// Read the body first, even when we do not need it, so that the connection can be reused.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		// MaxBytesReader has already marked the connection to be closed.
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			replyError(w, &badRequest{http.StatusRequestEntityTooLarge, "request body too large"})
		} else {
			replyError(w, fail("cannot read request body"))
		}
		return
	}

	switch {
	case r.URL.Path == "/":
		w.WriteHeader(http.StatusOK) // the host's readiness probe: any answer will do
	// The host matches routes case-insensitively and forwards the path as the caller wrote it.
	case strings.EqualFold(r.URL.Path, functionPath):
		radius, err := parseRadius(r, body)
		if err != nil {
			replyError(w, err)
			return
		}
		res, err := circle(radius)
		if err != nil {
			replyError(w, err)
			return
		}
		reply(w, http.StatusOK, res)
	default:
		reply(w, http.StatusNotFound, map[string]string{"error": "not found"})
	}
}

func main() {
	port := "8080"
	for _, name := range []string{"FUNCTIONS_CUSTOMHANDLER_PORT", "FUNCTIONS_HTTPWORKER_PORT"} {
		if value := os.Getenv(name); value != "" {
			port = value
			break
		}
	}
	addr := net.JoinHostPort("127.0.0.1", port)
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// stdout, not the log package's stderr: the host logs stderr lines as errors.
	fmt.Printf("circle handler listening on http://%s\n", addr)
	err = http.Serve(listener, http.HandlerFunc(route))
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
