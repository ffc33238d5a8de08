// circle-go: the benchmark handler of bench/request-path.sh (standard library only).
//
// One binary serves both Azure Functions custom-handler modes, so that every target of the
// benchmark runs the same code:
//
//	forwarding mode:  GET /api/circle?radius=R  -> 200 {"radius":R,"area":A}  (application/json)
//	envelope mode:    POST /circle  {"Data":{"req":{...,"Query":{"radius":"2"}}},"Metadata":{...}}
//	                  -> 200 {"Outputs":{"res":{"statusCode":200,"headers":{...},"body":"..."}},"Logs":[]}
//	readiness:        GET /  -> 200
//
// The port comes from FUNCTIONS_CUSTOMHANDLER_PORT (default 8080).
package main

import (
	"encoding/json"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"os"
	"strconv"
)

type result struct {
	Radius float64 `json:"radius"`
	Area   float64 `json:"area"`
}

// circleJSON answers {"radius":R,"area":A}, or ok=false with an error message.
func circleJSON(text string) (body []byte, ok bool) {
	r, err := strconv.ParseFloat(text, 64)
	if text == "" || err != nil || r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
		return []byte(`{"error":"radius must be a non-negative number"}`), false
	}
	body, _ = json.Marshal(result{Radius: r, Area: math.Pi * r * r})
	return body, true
}

func reply(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// forward: the caller's request as it came (forwarding mode).
func forward(w http.ResponseWriter, r *http.Request) {
	body, ok := circleJSON(r.URL.Query().Get("radius"))
	status := http.StatusOK
	if !ok {
		status = http.StatusBadRequest
	}
	reply(w, status, body)
}

type envelopeIn struct {
	Data struct {
		Req struct {
			Query map[string]string `json:"Query"`
		} `json:"req"`
	} `json:"Data"`
}

type httpOut struct {
	StatusCode int               `json:"statusCode"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body"`
}

type envelopeOut struct {
	Outputs struct {
		Res httpOut `json:"res"`
	} `json:"Outputs"`
	Logs []string `json:"Logs"`
}

var jsonHeaders = map[string]string{"Content-Type": "application/json"}

// envelope: the JSON envelope POSTed to /{FunctionName} (envelope mode).
func envelope(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		reply(w, http.StatusMethodNotAllowed, []byte(`{"error":"POST the invocation envelope"}`))
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var in envelopeIn
	if err == nil {
		err = json.Unmarshal(raw, &in)
	}
	if err != nil {
		reply(w, http.StatusBadRequest, []byte(`{"error":"bad envelope"}`))
		return
	}
	body, ok := circleJSON(in.Data.Req.Query["radius"])
	var out envelopeOut
	out.Outputs.Res = httpOut{StatusCode: http.StatusOK, Headers: jsonHeaders, Body: string(body)}
	if !ok {
		out.Outputs.Res.StatusCode = http.StatusBadRequest
	}
	out.Logs = []string{}
	encoded, _ := json.Marshal(out)
	reply(w, http.StatusOK, encoded)
}

func main() {
	port := os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT")
	if port == "" {
		port = "8080"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/circle", forward)
	mux.HandleFunc("/circle", envelope)
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
