package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"traject/internal/api"
)

var update = flag.Bool("update", false, "rewrite testdata/openapi.golden.json from the current API")

// openAPIDocument returns the indented OpenAPI document of a fresh API; only
// the document is needed, so the API has no store.
func openAPIDocument(t *testing.T) []byte {
	t.Helper()
	s := api.New(http.NewServeMux(), api.Deps{})
	b, err := json.MarshalIndent(s.OpenAPI(), "", "  ")
	if err != nil {
		t.Fatalf("marshal OpenAPI: %v", err)
	}
	return append(b, '\n')
}

// TestOpenAPIGolden pins the published document, so that any change to the
// API's contract shows up in review. Run with -update to accept a change.
func TestOpenAPIGolden(t *testing.T) {
	got := openAPIDocument(t)
	golden := filepath.Join("testdata", "openapi.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/api -run OpenAPIGolden -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("OpenAPI document differs from %s (-want +got); run with -update if the change is intended:\n%s",
			golden, cmp.Diff(string(want), string(got)))
	}
}

// TestOpenAPIContents checks the promises of DESIGN §3 that the golden file
// alone would let slip through an -update.
func TestOpenAPIContents(t *testing.T) {
	var doc struct {
		OpenAPI    string `json:"openapi"`
		Components struct {
			SecuritySchemes map[string]struct {
				Type   string `json:"type"`
				Scheme string `json:"scheme"`
			} `json:"securitySchemes"`
		} `json:"components"`
		Security []map[string][]string `json:"security"`
		Servers  []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Paths map[string]map[string]struct {
			OperationID string                     `json:"operationId"`
			Responses   map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument(t), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	bearer, ok := doc.Components.SecuritySchemes["bearer"]
	if !ok || bearer.Type != "http" || bearer.Scheme != "bearer" {
		t.Errorf("securitySchemes.bearer = %+v (present %v), want type http, scheme bearer", bearer, ok)
	}
	if len(doc.Security) != 1 || doc.Security[0]["bearer"] == nil {
		t.Errorf("security = %v, want the bearer scheme for every operation", doc.Security)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != api.Prefix {
		t.Errorf("servers = %+v, want one at %s", doc.Servers, api.Prefix)
	}
	// /me needs no permission, so it can answer 401 but never 403.
	for _, tt := range []struct {
		path, id  string
		forbidden bool
	}{
		{path: "/me", id: "get-me", forbidden: false},
		{path: "/regions", id: "list-regions", forbidden: true},
	} {
		op, ok := doc.Paths[tt.path]["get"]
		if !ok {
			t.Errorf("paths lack GET %s", tt.path)
			continue
		}
		if op.OperationID != tt.id {
			t.Errorf("GET %s operationId = %q, want %q", tt.path, op.OperationID, tt.id)
		}
		for _, status := range []string{"200", "401"} {
			if _, ok := op.Responses[status]; !ok {
				t.Errorf("GET %s does not document a %s response", tt.path, status)
			}
		}
		if _, ok := op.Responses["403"]; ok != tt.forbidden {
			t.Errorf("GET %s documents 403: %v, want %v", tt.path, ok, tt.forbidden)
		}
	}
}
