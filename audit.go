package traject

import "time"

// AuditEntry is one row of the audit log: who changed what, when, and how the
// object looked before and after. Every write adds one in its own transaction.
type AuditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id,omitempty"`
	ActorLabel string    `json:"actor"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	RegionCode string    `json:"region,omitempty"`
	Before     string    `json:"before,omitempty"`
	After      string    `json:"after,omitempty"`
	RequestID  string    `json:"request_id,omitempty"`
	Reason     string    `json:"reason,omitempty"`
}

// AuditFilter selects audit rows. Zero fields do not filter.
type AuditFilter struct {
	Actor      string // e-mail address or label of the actor
	ObjectType string
	ObjectID   string
	From, To   time.Time // To is exclusive
	BeforeID   int64     // keyset pagination: rows with a smaller id
	Limit      int
}

// APIToken is a bearer token for the API. Only its SHA-256 is stored; the
// token itself is shown once, when it is created.
type APIToken struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Name      string     `json:"name"`
	Prefix    string     `json:"prefix"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// System actors name who acted when no staff member did.
const (
	ActorCLI    = "cli"
	ActorSystem = "system"
)
