package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"traject"
	"traject/internal/store/storetest"
)

// The pool and the crowd of TestReserveConcurrently: more loanClients than
// devices, all for the same days.
const (
	loanPool    = 50
	loanClients = 64
)

// TestReserveConcurrently starts the real server and 64 loanClients that reserve
// at the same moment from a pool of 50 free Wi-Fi devices for overlapping
// days: exactly 50 get a device, 14 get 409, and the loans table holds no
// device with two overlapping active loans. On PostgreSQL two server
// processes share the database and the loanClients are spread over both, so the
// guarantee cannot rest on anything inside one process (DESIGN §2.1).
func TestReserveConcurrently(t *testing.T) {
	for _, db := range storetest.DBs(t) {
		t.Run(db.Name, func(t *testing.T) {
			servers := []*testMain{mustRun(t, db.URL)}
			if db.Name == "postgres" {
				servers = append(servers, mustRun(t, db.URL))
			}
			d := newLoanDesk(servers[0])
			token := servers[0].mustToken(servers[0].mustUser("desk.ant@example.org", traject.RoleDesk, "ANT"))
			for i := range loanPool {
				d.device(fmt.Sprintf("CB-%04d", i), "ANT", traject.WiFi)
			}
			for i := range loanClients {
				d.learner(fmt.Sprintf("L-%04d", i), "ANT")
			}
			results := reserveAtOnce(t, servers, token)
			checkReservations(t, results)
			checkNoOverlap(t, servers[0].store.ReadDB())
		})
	}
}

// loanAttempt is what one client got.
type loanAttempt struct {
	status   int
	problem  string // the problem type of a refusal
	assetTag string
	err      error
}

// reserveAtOnce releases all loanClients together, each to a server in turn, and
// returns what each got. It never calls t.Fatal from a client goroutine.
func reserveAtOnce(t *testing.T, servers []*testMain, token string) []loanAttempt {
	t.Helper()
	transport := &http.Transport{MaxIdleConnsPerHost: loanClients, MaxConnsPerHost: loanClients}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 2 * time.Minute}
	results := make([]loanAttempt, loanClients)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range loanClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			url := servers[i%len(servers)].URL() + "/api/v1/loans"
			body := reserveBody(fmt.Sprintf("L-%04d", i), "", "2020-09-01", "2020-10-31")
			<-start
			results[i] = postReservation(client, url, token, body)
		}()
	}
	close(start)
	wg.Wait()
	return results
}

func postReservation(c *http.Client, url, token, body string) loanAttempt {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return loanAttempt{err: err}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return loanAttempt{err: err}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return loanAttempt{err: err}
	}
	var out struct {
		AssetTag string `json:"asset_tag"`
		Type     string `json:"type"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return loanAttempt{status: res.StatusCode, err: fmt.Errorf("%v in %s", err, b)}
	}
	return loanAttempt{status: res.StatusCode, problem: out.Type, assetTag: out.AssetTag}
}

// checkReservations: exactly loanPool successes, each on its own device, and
// every other client told that none is free.
func checkReservations(t *testing.T, results []loanAttempt) {
	t.Helper()
	tags := map[string]bool{}
	refused := 0
	for i, r := range results {
		switch {
		case r.err != nil:
			t.Errorf("client %d: %v", i, r.err)
		case r.status == http.StatusCreated:
			if tags[r.assetTag] {
				t.Errorf("device %s was given twice", r.assetTag)
			}
			tags[r.assetTag] = true
		case r.status == http.StatusConflict && r.problem == "urn:traject:problem:loan.none_free":
			refused++
		default:
			t.Errorf("client %d: status %d %s", i, r.status, r.problem)
		}
	}
	if len(tags) != loanPool || refused != loanClients-loanPool {
		t.Errorf("%d reserved and %d refused, want %d and %d", len(tags), refused, loanPool, loanClients-loanPool)
	}
}

// checkNoOverlap asks the database itself, past every layer of Traject,
// whether a device holds two active loans on a common day.
func checkNoOverlap(t *testing.T, db *sql.DB) {
	t.Helper()
	var overlaps, loans, devices int
	err := db.QueryRow(`SELECT COUNT(*) FROM loans a JOIN loans b ON a.device_id = b.device_id AND a.id < b.id
		WHERE a.state IN ('reserved', 'handed_out') AND b.state IN ('reserved', 'handed_out')
		  AND a.starts_on <= b.due_on AND b.starts_on <= a.due_on`).Scan(&overlaps)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT device_id) FROM loans WHERE state = 'reserved'`).Scan(&loans, &devices); err != nil {
		t.Fatal(err)
	}
	if overlaps != 0 || loans != loanPool || devices != loanPool {
		t.Errorf("the loans table holds %d overlapping pairs, %d loans on %d devices; want 0, %d, %d", overlaps, loans, devices, loanPool, loanPool)
	}
}
