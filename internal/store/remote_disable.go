package store

import (
	"context"
	"time"
)

// RemoteDisable is a lost or stolen device waiting to be disabled by the
// device-management integration.
type RemoteDisable struct {
	ID          int64
	LoanID      int64
	AssetTag    string
	Serial      string
	Region      string
	RequestedAt time.Time
}

// QueuedRemoteDisables returns up to limit requests still queued, oldest first.
func (s *Store) QueuedRemoteDisables(ctx context.Context, limit int) ([]RemoteDisable, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.query(ctx, `SELECT r.id, r.loan_id, d.asset_tag, d.serial, d.region_code, r.requested_at
		FROM remote_disables r JOIN devices d ON d.id = r.device_id
		WHERE r.state = 'queued' ORDER BY r.id LIMIT `+itoa(int64(limit)))
	if err != nil {
		return nil, s.mapError("queued remote disables", "", err)
	}
	defer rows.Close()
	var out []RemoteDisable
	for rows.Next() {
		var r RemoteDisable
		if err := rows.Scan(&r.ID, &r.LoanID, &r.AssetTag, &r.Serial, &r.Region, timeCol{&r.RequestedAt}); err != nil {
			return nil, s.mapError("queued remote disables", "", err)
		}
		out = append(out, r)
	}
	return out, s.mapError("queued remote disables", "", rows.Err())
}

// MarkRemoteDisableSent records that the integration accepted the request.
// It reports false when the request was no longer queued: another process
// sent it meanwhile, which is harmless because disabling is idempotent.
func (s *Store) MarkRemoteDisableSent(ctx context.Context, r *RemoteDisable) (bool, error) {
	var changed int64
	err := s.write(ctx, "remote disable sent", func(tx *Tx) error {
		res, err := tx.exec(`UPDATE remote_disables SET state = 'sent', sent_at = ? WHERE id = ? AND state = 'queued'`, tx.nowArg(), r.ID)
		if err != nil {
			return err
		}
		if changed, err = res.RowsAffected(); err != nil || changed == 0 {
			return err
		}
		return tx.audit("device.remote_disable", "device", r.AssetTag, r.Region,
			map[string]any{"state": "queued", "loan": r.LoanID}, map[string]any{"state": "sent", "loan": r.LoanID})
	})
	return changed == 1, err
}
