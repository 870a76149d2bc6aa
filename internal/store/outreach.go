package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"

	"traject"
)

// Outreach campaigns. A campaign with a region belongs to that region; one
// without (a national campaign) is seen by every role that reads outreach,
// but a regional role sees and calls only its own region's learners in it.
// Targets are always scoped by their learner's region.

const campaignColumns = `oc.id, oc.name, oc.criteria, COALESCE(oc.region_code, ''), oc.retry_after_days, oc.max_attempts,
	COALESCE(u.name, ''), oc.created_at`

const campaignFrom = ` FROM outreach_campaigns oc LEFT JOIN users u ON u.id = oc.created_by`

func scanCampaign(row interface{ Scan(...any) error }, c *traject.Campaign) error {
	var criteria string
	if err := row.Scan(&c.ID, &c.Name, &criteria, &c.RegionCode, &c.RetryAfterDays, &c.MaxAttempts,
		&c.CreatedBy, timeCol{&c.CreatedAt}); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(criteria), &c.Criteria); err != nil {
		return fmt.Errorf("campaign %d: criteria: %w", c.ID, err)
	}
	return nil
}

// campaignVisible reports whether the actor may see a campaign of region
// ("" for a national one).
func campaignVisible(ctx context.Context, region string) bool {
	return region == "" || canSee(ctx, region)
}

// targetScope is the region a regional actor's target queries are limited
// to, or "" for a national role and for Traject itself.
func targetScope(ctx context.Context) string {
	return traject.UserFromContext(ctx).ScopeRegion()
}

// CreateCampaign selects the learners that match the campaign's criteria
// within its region (a regional actor's own region), and adds each as a
// target in the call list of their contact language, in one transaction.
// The selection counts the learners as the records stand now; the campaign
// keeps its list even when a learner's situation changes afterwards.
func (s *Store) CreateCampaign(ctx context.Context, c *traject.Campaign) error {
	if err := scopeCampaignRegion(ctx, c); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "create campaign", func(tx *Tx) error {
		learners, err := tx.selectLearners(c.Criteria)
		if err != nil {
			return err
		}
		return tx.createCampaign(c, learners)
	})
}

// scopeCampaignRegion makes a regional actor's campaign one of their own
// region; naming another region is an error, not a silent change.
func scopeCampaignRegion(ctx context.Context, c *traject.Campaign) error {
	scope := traject.UserFromContext(ctx).ScopeRegion()
	if scope == "" {
		return nil
	}
	if c.Criteria.Region == "" {
		c.Criteria.Region = scope
	}
	if r, ok := traject.ParseRegion(c.Criteria.Region); ok && r.Code != scope {
		var v traject.Validation
		v.Add("region", "outreach.region.outside", "you select learners in your own region only", nil)
		return v.Err()
	}
	return nil
}

// campaignLearner is a learner a campaign selected, with the call list
// (contact language) they go on.
type campaignLearner struct {
	id       int64
	language string
}

func (tx *Tx) createCampaign(c *traject.Campaign, learners []campaignLearner) error {
	criteria, err := json.Marshal(c.Criteria)
	if err != nil {
		return err
	}
	byID, label := actorOf(tx.ctx)
	c.ID, err = tx.insert(`INSERT INTO outreach_campaigns (name, criteria, region_code, retry_after_days, max_attempts, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.Name, string(criteria), nullString(c.RegionCode), c.RetryAfterDays, c.MaxAttempts, byID, tx.nowArg())
	if err != nil {
		return err
	}
	for _, l := range learners {
		if _, err := tx.exec(`INSERT INTO outreach_targets (campaign_id, learner_id, language, state, attempts, created_at, updated_at)
			VALUES (?, ?, ?, 'open', 0, ?, ?)`, c.ID, l.id, l.language, tx.nowArg(), tx.nowArg()); err != nil {
			return err
		}
	}
	c.CreatedBy, c.CreatedAt, c.Targets = tx.actorName(label), tx.now, len(learners)
	return tx.audit("outreach.campaign.create", "campaign", itoa(c.ID), c.RegionCode, nil, c)
}

// Campaign returns one campaign with its number of targets the actor sees.
func (s *Store) Campaign(ctx context.Context, id int64) (*traject.Campaign, error) {
	var c traject.Campaign
	err := scanCampaign(s.queryRow(ctx, `SELECT `+campaignColumns+campaignFrom+` WHERE oc.id = ?`, id), &c)
	if err == nil && !campaignVisible(ctx, c.RegionCode) {
		err = sql.ErrNoRows
	}
	if err == nil {
		err = s.queryRow(ctx, `SELECT COUNT(*) FROM outreach_targets t JOIN learners l ON l.id = t.learner_id
			WHERE t.campaign_id = ? AND (? = '' OR l.region_code = ?)`, id, targetScope(ctx), targetScope(ctx)).Scan(&c.Targets)
	}
	if err != nil {
		return nil, s.mapError("campaign", "campaign "+itoa(id), err)
	}
	return &c, nil
}

// Campaigns returns the campaigns the actor sees, newest first, each with
// the number of its targets in the actor's scope.
func (s *Store) Campaigns(ctx context.Context) ([]traject.Campaign, error) {
	scope := targetScope(ctx)
	rows, err := s.query(ctx, `SELECT `+campaignColumns+`,
		(SELECT COUNT(*) FROM outreach_targets t JOIN learners l ON l.id = t.learner_id
		 WHERE t.campaign_id = oc.id AND (? = '' OR l.region_code = ?))`+campaignFrom+`
		WHERE (? = '' OR oc.region_code IS NULL OR oc.region_code = ?) ORDER BY oc.id DESC LIMIT 500`, scope, scope, scope, scope)
	if err != nil {
		return nil, s.mapError("campaigns", "", err)
	}
	defer rows.Close()
	out := []traject.Campaign{}
	for rows.Next() {
		var c traject.Campaign
		var criteria string
		if err := rows.Scan(&c.ID, &c.Name, &criteria, &c.RegionCode, &c.RetryAfterDays, &c.MaxAttempts,
			&c.CreatedBy, timeCol{&c.CreatedAt}, &c.Targets); err != nil {
			return nil, s.mapError("campaigns", "", err)
		}
		if err := json.Unmarshal([]byte(criteria), &c.Criteria); err != nil {
			return nil, fmt.Errorf("store: campaign %d: criteria: %w", c.ID, err)
		}
		out = append(out, c)
	}
	return out, s.mapError("campaigns", "", rows.Err())
}

// sortedLearners turns the selection into a list in id order, so that the
// targets are written in a stable order.
func sortedLearners(m map[int64]string) []campaignLearner {
	out := make([]campaignLearner, 0, len(m))
	for id, lang := range m {
		out = append(out, campaignLearner{id, lang})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}
