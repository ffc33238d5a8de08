// throttle-go: the handler of bench/throttle-isolation.sh (standard library only), in forwarding
// mode (enableForwardingHttpRequest: true):
//
//	GET /api/slow  -> sleeps SLOW_MS milliseconds (default 50), then 200 {"function":"slow"}
//	GET /api/fast  -> 200 {"function":"fast"} at once
//	GET /          -> 200 (readiness)
//
// The port comes from FUNCTIONS_CUSTOMHANDLER_PORT (default 8080).
package main

import (
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

var (
	slowBody = []byte(`{"function":"slow"}`)
	fastBody = []byte(`{"function":"fast"}`)
)

func reply(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func main() {
	port := os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT")
	if port == "" {
		port = "8080"
	}
	slow := 50 * time.Millisecond
	if v := os.Getenv("SLOW_MS"); v != "" {
		ms, err := strconv.Atoi(v)
		if err != nil || ms < 0 {
			log.Fatalf("SLOW_MS must be a number of milliseconds, found %q", v)
		}
		slow = time.Duration(ms) * time.Millisecond
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(slow)
		reply(w, slowBody)
	})
	mux.HandleFunc("/api/fast", func(w http.ResponseWriter, r *http.Request) {
		reply(w, fastBody)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.Serve(ln, mux))
}
