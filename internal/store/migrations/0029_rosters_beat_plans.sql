-- Rosters and beat plans. By default every postman of a centre with a
-- home beat is on duty in every slot the calendar runs, except on their
-- weekly off day and in the Sunday/holiday slot; an entry overrides that
-- for one postman on one date, in one slot or in all of them (slot '').

-- A postman's weekly off day, 0 (Sunday) to 6 (Saturday); no row: none.
CREATE TABLE roster_weekly_offs (
    user_id    TEXT PRIMARY KEY REFERENCES users (id),
    dc_id      TEXT NOT NULL REFERENCES dcs (id),
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- covers_beat_id: a reliever on duty standing in for that beat's postman.
CREATE TABLE roster_entries (
    dc_id          TEXT NOT NULL REFERENCES dcs (id),
    user_id        TEXT NOT NULL REFERENCES users (id),
    date           TEXT NOT NULL,
    slot           TEXT NOT NULL CHECK (slot IN ('', 'morning', 'evening', 'sunday')),
    status         TEXT NOT NULL CHECK (status IN ('on_duty', 'leave', 'off')),
    covers_beat_id TEXT REFERENCES beats (id),
    note           TEXT NOT NULL DEFAULT '',
    updated_by     TEXT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (user_id, date, slot),
    CHECK (covers_beat_id IS NULL OR status = 'on_duty')
);
CREATE INDEX roster_entries_dc ON roster_entries (dc_id, date);

-- A balanced-beat proposal for one slot, as the supervisor saw it (body:
-- the proposal as JSON, with each postman's articles in stop order).
CREATE TABLE beat_plans (
    id         TEXT PRIMARY KEY,
    dc_id      TEXT NOT NULL REFERENCES dcs (id),
    date       TEXT NOT NULL,
    slot       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX beat_plans_slot ON beat_plans (dc_id, date, slot);

-- The beat whose manifest carries each article of a plan, so a dispatch
-- knows an article off its own beat is there by the chosen plan.
CREATE TABLE beat_plan_articles (
    plan_id    TEXT NOT NULL REFERENCES beat_plans (id),
    article_id TEXT NOT NULL REFERENCES articles (id),
    beat_id    TEXT NOT NULL,
    PRIMARY KEY (plan_id, article_id)
);
CREATE INDEX beat_plan_articles_article ON beat_plan_articles (article_id);

-- The plan a slot's build follows; no row: the fixed beats.
CREATE TABLE beat_plan_choices (
    dc_id     TEXT NOT NULL REFERENCES dcs (id),
    date      TEXT NOT NULL,
    slot      TEXT NOT NULL,
    plan_id   TEXT NOT NULL REFERENCES beat_plans (id),
    chosen_by TEXT NOT NULL,
    chosen_at BIGINT NOT NULL,
    PRIMARY KEY (dc_id, date, slot)
);
