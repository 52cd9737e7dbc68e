-- staffroom schema, SQLite (migration 0001).
-- Twin of migrations/postgres/0001_schema.sql: same tables, columns, constraints and
-- index names. Conventions and deviations from DOMAIN.md: migrations/README.md.
-- Keep the two files in step: change one, change the other the same way.
--
-- Types: ids/integers INTEGER (Rust i64), instants TEXT RFC 3339 as sqlx encodes
-- DateTime<Utc>, days TEXT YYYY-MM-DD (NaiveDate), times of day TEXT HH:MM:SS
-- (NaiveTime), flags INTEGER 0/1 (bool), JSON TEXT (serde_json::Value / Json<T>),
-- money *_minor INTEGER + ISO-4217 code. Tables are STRICT.
-- No PRAGMA and no BEGIN/COMMIT here: the application sets foreign_keys=ON and
-- sqlx runs the migration in a transaction.
-- No time column has a default: the application supplies every instant.

-- =============================================================================
-- 1. People and access
-- =============================================================================

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT,
    phone           TEXT,
    full_name       TEXT NOT NULL,
    password_hash   TEXT,
    is_admin        INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    is_staff        INTEGER NOT NULL DEFAULT 0 CHECK (is_staff IN (0, 1)),
    is_instructor   INTEGER NOT NULL DEFAULT 0 CHECK (is_instructor IN (0, 1)),
    is_student      INTEGER NOT NULL DEFAULT 0 CHECK (is_student IN (0, 1)),
    is_active       INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    email_verified  INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1)),
    banned          INTEGER NOT NULL DEFAULT 0 CHECK (banned IN (0, 1)),
    ban_reason      TEXT,
    ban_until       TEXT,
    points          INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),
    last_login_at   TEXT,
    failed_logins   INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until    TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_users_contact CHECK (COALESCE(email, '') <> '' OR COALESCE(phone, '') <> ''),
    -- store NULL, never '', for a missing email/phone (both are UNIQUE)
    CONSTRAINT ck_users_no_empty_contact CHECK (email <> '' AND phone <> '')
) STRICT;
CREATE UNIQUE INDEX ux_users_email ON users (email);
CREATE UNIQUE INDEX ux_users_phone ON users (phone);
CREATE INDEX ix_users_full_name ON users (full_name, id);

CREATE TABLE user_profiles (
    user_id         INTEGER PRIMARY KEY REFERENCES users (id),
    avatar_url      TEXT,
    bio             TEXT,
    job_title       TEXT,
    expertise       TEXT,
    links           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(links) AND json_type(links) = 'object'),
    public_slug     TEXT,
    is_public       INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
    featured        INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
    featured_rank   INTEGER,
    sort_order      INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'inactive', 'graduated')),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_user_profiles_public_slug ON user_profiles (public_slug);

CREATE TABLE login_history (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER REFERENCES users (id),
    success         INTEGER NOT NULL DEFAULT 0 CHECK (success IN (0, 1)),
    failure_reason  TEXT,
    remote          TEXT NOT NULL,
    terminal        TEXT,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX ix_login_history_user ON login_history (user_id, created_at, id);
CREATE INDEX ix_login_history_created ON login_history (created_at, id);

-- =============================================================================
-- Taxonomies used by programs, posts and case studies
-- =============================================================================

CREATE TABLE categories (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    slug            TEXT NOT NULL,
    description     TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_categories_name ON categories (name);
CREATE UNIQUE INDEX ux_categories_slug ON categories (slug);

CREATE TABLE tags (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    slug            TEXT NOT NULL,
    description     TEXT,
    tag_type        TEXT NOT NULL DEFAULT 'general'
                    CHECK (tag_type IN ('general', 'topic', 'difficulty', 'format')),
    use_count       INTEGER NOT NULL DEFAULT 0 CHECK (use_count >= 0),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_tags_name ON tags (name);
CREATE UNIQUE INDEX ux_tags_slug ON tags (slug);
CREATE INDEX ix_tags_tag_type ON tags (tag_type, name);

CREATE TABLE tech_stack (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    slug            TEXT NOT NULL,
    category        TEXT NOT NULL DEFAULT 'other'
                    CHECK (category IN ('frontend', 'backend', 'database', 'devops', 'design', 'other')),
    logo_url        TEXT,
    color_hex       TEXT,
    official_url    TEXT,
    is_active       INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_tech_stack_name ON tech_stack (name);
CREATE UNIQUE INDEX ux_tech_stack_slug ON tech_stack (slug);

-- =============================================================================
-- 3. Programs and cohorts (before leads: leads.program_id references programs)
-- =============================================================================

CREATE TABLE programs (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL,
    title           TEXT NOT NULL,
    summary         TEXT,
    description     TEXT,
    requirements    TEXT,
    category        TEXT,
    level           TEXT NOT NULL DEFAULT 'beginner'
                    CHECK (level IN ('beginner', 'intermediate', 'advanced')),
    duration_hours  INTEGER CHECK (duration_hours >= 0),
    default_capacity INTEGER CHECK (default_capacity >= 0),
    price_minor     INTEGER NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
    price_currency  TEXT NOT NULL CHECK (length(price_currency) = 3 AND price_currency = upper(price_currency)),
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'published', 'archived')),
    created_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_programs_slug ON programs (slug);
CREATE INDEX ix_programs_status ON programs (status, title, id);
CREATE INDEX ix_programs_created_by ON programs (created_by);

CREATE TABLE cohorts (
    id              INTEGER PRIMARY KEY,
    program_id      INTEGER NOT NULL REFERENCES programs (id),
    name            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'planned'
                    CHECK (status IN ('planned', 'coming_soon', 'open', 'running', 'completed', 'cancelled')),
    allow_applications INTEGER NOT NULL DEFAULT 0 CHECK (allow_applications IN (0, 1)),
    capacity        INTEGER CHECK (capacity >= 0),
    enrollment_open_at  TEXT,
    enrollment_close_at TEXT,
    start_date      TEXT,
    end_date        TEXT,
    location        TEXT,
    time_zone       TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_cohorts_dates CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX ix_cohorts_program ON cohorts (program_id, start_date, id);
CREATE INDEX ix_cohorts_status ON cohorts (status, start_date, id);

CREATE TABLE cohort_instructors (
    cohort_id       INTEGER NOT NULL REFERENCES cohorts (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    cohort_role     TEXT NOT NULL DEFAULT 'lead'
                    CHECK (cohort_role IN ('lead', 'assistant', 'mentor')),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (cohort_id, user_id)
) STRICT;
CREATE INDEX ix_cohort_instructors_user ON cohort_instructors (user_id);

-- =============================================================================
-- 2. Leads and sales
-- =============================================================================

CREATE TABLE leads (
    id              INTEGER PRIMARY KEY,
    full_name       TEXT NOT NULL,
    email           TEXT,
    phone           TEXT,
    whatsapp        TEXT,
    lead_type       TEXT NOT NULL DEFAULT 'other'
                    CHECK (lead_type IN ('student', 'client', 'partner', 'other')),
    source          TEXT NOT NULL DEFAULT 'other'
                    CHECK (source IN ('website_form', 'whatsapp', 'instagram', 'facebook', 'referral',
                                      'session', 'contact_form', 'import', 'other')),
    message         TEXT,
    interested_in   TEXT
                    CHECK (interested_in IN ('mentorship', 'code_review', 'mvp_sprint', 'dashboard',
                                             'landing_page', 'workshop', 'program', 'other')),
    program_id      INTEGER REFERENCES programs (id),
    status          TEXT NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'contacted', 'qualified', 'proposal_sent',
                                      'closed_won', 'closed_lost', 'nurturing')),
    lost_reason     TEXT,
    budget_range    TEXT,
    urgency         TEXT
                    CHECK (urgency IN ('asap', 'this_month', 'next_month', 'exploring')),
    assigned_to     INTEGER REFERENCES users (id),
    next_follow_up_at TEXT,
    converted_at    TEXT,
    last_contact_at TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- BR-05: at least one way to reach the lead
    CONSTRAINT ck_leads_contact CHECK (COALESCE(email, '') <> '' OR COALESCE(phone, '') <> '' OR COALESCE(whatsapp, '') <> ''),
    -- BR-06: closed_lost needs a reason, closed_won records the conversion
    CONSTRAINT ck_leads_lost_reason CHECK (status <> 'closed_lost' OR COALESCE(lost_reason, '') <> ''),
    CONSTRAINT ck_leads_converted_at CHECK (status <> 'closed_won' OR converted_at IS NOT NULL)
) STRICT;
CREATE INDEX ix_leads_status_updated ON leads (status, updated_at, id);
CREATE INDEX ix_leads_updated ON leads (updated_at, id);
CREATE INDEX ix_leads_assigned_status ON leads (assigned_to, status);
CREATE INDEX ix_leads_next_follow_up ON leads (next_follow_up_at);
CREATE INDEX ix_leads_email ON leads (email);
CREATE INDEX ix_leads_phone ON leads (phone);
CREATE INDEX ix_leads_whatsapp ON leads (whatsapp);
CREATE INDEX ix_leads_program ON leads (program_id);

CREATE TABLE lead_notes (
    id              INTEGER PRIMARY KEY,
    lead_id         INTEGER NOT NULL REFERENCES leads (id),
    note            TEXT NOT NULL,
    note_type       TEXT NOT NULL DEFAULT 'general'
                    CHECK (note_type IN ('general', 'call', 'email', 'meeting', 'whatsapp')),
    created_by      INTEGER REFERENCES users (id),
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX ix_lead_notes_lead ON lead_notes (lead_id, created_at, id);
CREATE INDEX ix_lead_notes_created_by ON lead_notes (created_by);

CREATE TABLE contact_messages (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    email           TEXT,
    phone           TEXT,
    subject         TEXT,
    message         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'in_progress', 'resolved')),
    assigned_to     INTEGER REFERENCES users (id),
    resolved_at     TEXT,
    lead_id         INTEGER REFERENCES leads (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_contact_messages_contact CHECK (COALESCE(email, '') <> '' OR COALESCE(phone, '') <> ''),
    CONSTRAINT ck_contact_messages_resolved_at CHECK (status <> 'resolved' OR resolved_at IS NOT NULL)
) STRICT;
CREATE INDEX ix_contact_messages_status_created ON contact_messages (status, created_at, id);
CREATE INDEX ix_contact_messages_created ON contact_messages (created_at, id);
CREATE INDEX ix_contact_messages_assigned ON contact_messages (assigned_to, status);
CREATE INDEX ix_contact_messages_lead ON contact_messages (lead_id);

CREATE TABLE service_packages (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT,
    features        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(features) AND json_type(features) = 'array'),
    deliverables    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(deliverables) AND json_type(deliverables) = 'array'),
    target_audience TEXT NOT NULL DEFAULT 'both'
                    CHECK (target_audience IN ('student', 'client', 'both')),
    duration_weeks  INTEGER CHECK (duration_weeks >= 0),
    is_active       INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    display_order   INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_service_packages_slug ON service_packages (slug);
CREATE INDEX ix_service_packages_order ON service_packages (display_order, id);

CREATE TABLE service_package_prices (
    package_id      INTEGER NOT NULL REFERENCES service_packages (id) ON DELETE CASCADE,
    currency        TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
    amount_minor    INTEGER NOT NULL CHECK (amount_minor >= 0),
    PRIMARY KEY (package_id, currency)
) STRICT;

CREATE TABLE mentorships (
    id              INTEGER PRIMARY KEY,
    lead_id         INTEGER REFERENCES leads (id),
    user_id         INTEGER REFERENCES users (id),
    plan_type       TEXT NOT NULL DEFAULT 'monthly'
                    CHECK (plan_type IN ('weekly', 'monthly', 'custom')),
    price_minor     INTEGER NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
    currency        TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
    sessions_per_month INTEGER NOT NULL DEFAULT 4 CHECK (sessions_per_month >= 0),
    focus_area      TEXT,
    start_date      TEXT NOT NULL,
    end_date        TEXT,
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'paused', 'completed', 'cancelled')),
    sessions_completed INTEGER NOT NULL DEFAULT 0 CHECK (sessions_completed >= 0),
    next_session_at TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_mentorships_party CHECK (lead_id IS NOT NULL OR user_id IS NOT NULL),
    CONSTRAINT ck_mentorships_dates CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX ix_mentorships_lead ON mentorships (lead_id);
CREATE INDEX ix_mentorships_user ON mentorships (user_id);
CREATE INDEX ix_mentorships_status ON mentorships (status, next_session_at, id);

CREATE TABLE code_review_requests (
    id              INTEGER PRIMARY KEY,
    lead_id         INTEGER REFERENCES leads (id),
    requester_name  TEXT NOT NULL,
    requester_email TEXT NOT NULL,
    review_type     TEXT NOT NULL DEFAULT 'project_code'
                    CHECK (review_type IN ('github_profile', 'linkedin_profile', 'project_code', 'ui_review')),
    urls            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(urls) AND json_type(urls) = 'array'),
    description     TEXT,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'in_review', 'completed', 'cancelled')),
    price_minor     INTEGER NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
    currency        TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
    paid            INTEGER NOT NULL DEFAULT 0 CHECK (paid IN (0, 1)),
    review_notes    TEXT,
    video_review_url TEXT,
    completed_at    TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_code_review_requests_completed_at CHECK (status <> 'completed' OR completed_at IS NOT NULL)
) STRICT;
CREATE INDEX ix_code_review_requests_status_created ON code_review_requests (status, created_at, id);
CREATE INDEX ix_code_review_requests_lead ON code_review_requests (lead_id);

-- =============================================================================
-- 3. (cont.) Sessions
-- =============================================================================

CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    cohort_id       INTEGER NOT NULL REFERENCES cohorts (id),
    date            TEXT NOT NULL,
    starts_at       TEXT,
    ends_at         TEXT,
    delivery_mode   TEXT NOT NULL DEFAULT 'onsite'
                    CHECK (delivery_mode IN ('onsite', 'remote', 'hybrid')),
    location        TEXT,
    meeting_url     TEXT,
    title           TEXT NOT NULL,
    day_plan        TEXT,
    description     TEXT,
    session_type    TEXT NOT NULL DEFAULT 'normal'
                    CHECK (session_type IN ('normal', 'visitor', 'unusual', 'exam', 'workshop')),
    status          TEXT NOT NULL DEFAULT 'scheduled'
                    CHECK (status IN ('scheduled', 'ongoing', 'completed', 'cancelled')),
    notes           TEXT,
    created_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_sessions_times CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at)
) STRICT;
CREATE INDEX ix_sessions_cohort_date ON sessions (cohort_id, date, starts_at, id);
CREATE INDEX ix_sessions_date ON sessions (date, starts_at, id);
CREATE INDEX ix_sessions_created_by ON sessions (created_by);

-- =============================================================================
-- 5. Applications (before enrollments: enrollments.application_id references them)
-- =============================================================================

CREATE TABLE forms (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL,
    title           TEXT,
    description     TEXT,
    is_active       INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_forms_key ON forms (key);

CREATE TABLE form_fields (
    id              INTEGER PRIMARY KEY,
    form_id         INTEGER NOT NULL REFERENCES forms (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    label           TEXT NOT NULL,
    type            TEXT NOT NULL DEFAULT 'text'
                    CHECK (type IN ('text', 'textarea', 'email', 'phone', 'select', 'checkbox', 'date', 'file')),
    required        INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    options         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options) AND json_type(options) = 'array'),
    placeholder     TEXT,
    min_length      INTEGER CHECK (min_length >= 0),
    max_length      INTEGER CHECK (max_length >= 0),
    sort_order      INTEGER NOT NULL DEFAULT 0,
    is_enabled      INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
    CONSTRAINT ck_form_fields_lengths CHECK (min_length IS NULL OR max_length IS NULL OR max_length >= min_length)
) STRICT;
CREATE UNIQUE INDEX ux_form_fields_form_name ON form_fields (form_id, name);
CREATE INDEX ix_form_fields_form_order ON form_fields (form_id, sort_order, id);

CREATE TABLE applicants (
    id              INTEGER PRIMARY KEY,
    full_name       TEXT NOT NULL,
    email           TEXT,
    phone           TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_applicants_contact CHECK (COALESCE(email, '') <> '' OR COALESCE(phone, '') <> '')
) STRICT;
CREATE INDEX ix_applicants_email ON applicants (email);
CREATE INDEX ix_applicants_phone ON applicants (phone);

CREATE TABLE applications (
    id              INTEGER PRIMARY KEY,
    cohort_id       INTEGER NOT NULL REFERENCES cohorts (id),
    applicant_id    INTEGER NOT NULL REFERENCES applicants (id),
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'rejected', 'waitlisted')),
    reviewed_by     INTEGER REFERENCES users (id),
    reviewed_at     TEXT,
    submitted_at    TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_applications_reviewed CHECK (status NOT IN ('approved', 'rejected') OR reviewed_at IS NOT NULL)
) STRICT;
-- no second open application of one applicant to one cohort
CREATE UNIQUE INDEX ux_applications_open ON applications (applicant_id, cohort_id) WHERE status <> 'rejected';
CREATE INDEX ix_applications_cohort_status ON applications (cohort_id, status, submitted_at, id);
CREATE INDEX ix_applications_status ON applications (status, submitted_at, id);
CREATE INDEX ix_applications_applicant ON applications (applicant_id);
CREATE INDEX ix_applications_reviewed_by ON applications (reviewed_by);

CREATE TABLE application_submissions (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    form_id         INTEGER NOT NULL REFERENCES forms (id),
    answers         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(answers) AND json_type(answers) = 'object'),
    created_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_application_submissions_application_form ON application_submissions (application_id, form_id);
CREATE INDEX ix_application_submissions_form ON application_submissions (form_id);

-- =============================================================================
-- 3. (cont.) Enrollments and attendance
-- =============================================================================

CREATE TABLE enrollments (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    cohort_id       INTEGER NOT NULL REFERENCES cohorts (id),
    application_id  INTEGER REFERENCES applications (id),
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('pending', 'active', 'paused', 'completed', 'dropped', 'suspended')),
    progress        INTEGER NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 100),
    enrolled_at     TEXT NOT NULL,
    completed_at    TEXT,
    certificate_issued_at  TEXT,
    certificate_code       TEXT,
    certificate_revoked_at TEXT,
    banned          INTEGER NOT NULL DEFAULT 0 CHECK (banned IN (0, 1)),
    ban_reason      TEXT,
    ban_until       TEXT,
    tags            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
    notes           TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_enrollments_completed_at CHECK (status <> 'completed' OR completed_at IS NOT NULL),
    CONSTRAINT ck_enrollments_certificate CHECK ((certificate_code IS NULL) = (certificate_issued_at IS NULL)),
    CONSTRAINT ck_enrollments_certificate_revoked CHECK (certificate_revoked_at IS NULL OR certificate_issued_at IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX ux_enrollments_user_cohort ON enrollments (user_id, cohort_id);
CREATE UNIQUE INDEX ux_enrollments_application ON enrollments (application_id);
CREATE UNIQUE INDEX ux_enrollments_certificate_code ON enrollments (certificate_code);
CREATE INDEX ix_enrollments_cohort_status ON enrollments (cohort_id, status);

CREATE TABLE attendance_records (
    session_id      INTEGER NOT NULL REFERENCES sessions (id),
    enrollment_id   INTEGER NOT NULL REFERENCES enrollments (id),
    status          TEXT NOT NULL DEFAULT 'present'
                    CHECK (status IN ('present', 'absent', 'late', 'excused')),
    note            TEXT,
    checked_in_at   TEXT,
    checked_out_at  TEXT,
    marked_by       INTEGER REFERENCES users (id),
    marked_at       TEXT NOT NULL,
    PRIMARY KEY (session_id, enrollment_id)
) STRICT;
CREATE INDEX ix_attendance_records_enrollment ON attendance_records (enrollment_id);
CREATE INDEX ix_attendance_records_marked_by ON attendance_records (marked_by);

-- =============================================================================
-- 4. Webinars and public events
-- =============================================================================

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT,
    event_type      TEXT NOT NULL DEFAULT 'workshop'
                    CHECK (event_type IN ('weekly_live', 'workshop', 'code_review', 'qa', 'masterclass', 'public_event')),
    starts_at       TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL DEFAULT 60 CHECK (duration_minutes > 0),
    location        TEXT,
    meeting_url     TEXT,
    recording_url   TEXT,
    max_attendees   INTEGER CHECK (max_attendees >= 0),
    is_paid         INTEGER NOT NULL DEFAULT 0 CHECK (is_paid IN (0, 1)),
    price_minor     INTEGER NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
    currency        TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
    status          TEXT NOT NULL DEFAULT 'scheduled'
                    CHECK (status IN ('scheduled', 'live', 'completed', 'cancelled')),
    is_published    INTEGER NOT NULL DEFAULT 0 CHECK (is_published IN (0, 1)),
    is_done         INTEGER NOT NULL DEFAULT 0 CHECK (is_done IN (0, 1)),
    done_at         TEXT,
    created_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_events_paid_price CHECK (NOT is_paid OR price_minor > 0),
    CONSTRAINT ck_events_done_at CHECK (NOT is_done OR done_at IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX ux_events_slug ON events (slug);
CREATE INDEX ix_events_starts_at ON events (starts_at, id);
CREATE INDEX ix_events_status_starts_at ON events (status, starts_at, id);
CREATE INDEX ix_events_created_by ON events (created_by);

CREATE TABLE event_registrations (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (id),
    lead_id         INTEGER REFERENCES leads (id),
    full_name       TEXT NOT NULL,
    email           TEXT,
    whatsapp        TEXT,
    registered_at   TEXT NOT NULL
) STRICT;
CREATE INDEX ix_event_registrations_event ON event_registrations (event_id, registered_at, id);
CREATE INDEX ix_event_registrations_lead ON event_registrations (lead_id);

CREATE TABLE event_attendance (
    id              INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES event_registrations (id),
    attended        INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1)),
    joined_at       TEXT,
    left_at         TEXT,
    -- BR-11
    engagement_score INTEGER CHECK (engagement_score >= 1 AND engagement_score <= 5)
) STRICT;
CREATE UNIQUE INDEX ux_event_attendance_registration ON event_attendance (registration_id);

-- =============================================================================
-- 6. Learning content
-- =============================================================================

CREATE TABLE chapters (
    id              INTEGER PRIMARY KEY,
    program_id      INTEGER NOT NULL REFERENCES programs (id),
    title           TEXT NOT NULL,
    position        INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'scheduled', 'published')),
    release_at      TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_chapters_release_at CHECK (status <> 'scheduled' OR release_at IS NOT NULL)
) STRICT;
CREATE INDEX ix_chapters_program_position ON chapters (program_id, position, id);
CREATE INDEX ix_chapters_status_release ON chapters (status, release_at);

CREATE TABLE lessons (
    id              INTEGER PRIMARY KEY,
    chapter_id      INTEGER NOT NULL REFERENCES chapters (id),
    title           TEXT NOT NULL,
    description     TEXT,
    content         TEXT NOT NULL DEFAULT '',
    video_url       TEXT,
    duration_seconds INTEGER CHECK (duration_seconds >= 0),
    position        INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'scheduled', 'published')),
    release_at      TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_lessons_release_at CHECK (status <> 'scheduled' OR release_at IS NOT NULL)
) STRICT;
CREATE INDEX ix_lessons_chapter_position ON lessons (chapter_id, position, id);
CREATE INDEX ix_lessons_status_release ON lessons (status, release_at);

CREATE TABLE lesson_progress (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    lesson_id       INTEGER NOT NULL REFERENCES lessons (id),
    completed       INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
    completed_at    TEXT,
    time_spent_seconds INTEGER NOT NULL DEFAULT 0 CHECK (time_spent_seconds >= 0),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_lesson_progress_completed_at CHECK (NOT completed OR completed_at IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX ux_lesson_progress_user_lesson ON lesson_progress (user_id, lesson_id);
CREATE INDEX ix_lesson_progress_lesson ON lesson_progress (lesson_id);

CREATE TABLE assignments (
    id              INTEGER PRIMARY KEY,
    lesson_id       INTEGER REFERENCES lessons (id),
    program_id      INTEGER REFERENCES programs (id),
    title           TEXT NOT NULL,
    description     TEXT,
    max_points      INTEGER NOT NULL DEFAULT 100 CHECK (max_points >= 0),
    due_at          TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_assignments_parent CHECK ((lesson_id IS NULL) <> (program_id IS NULL))
) STRICT;
CREATE INDEX ix_assignments_lesson ON assignments (lesson_id);
CREATE INDEX ix_assignments_program ON assignments (program_id);
CREATE INDEX ix_assignments_due_at ON assignments (due_at, id);

CREATE TABLE assignment_submissions (
    id              INTEGER PRIMARY KEY,
    assignment_id   INTEGER NOT NULL REFERENCES assignments (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    content         TEXT,
    link            TEXT,
    file_url        TEXT,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'graded', 'returned')),
    grade           INTEGER CHECK (grade >= 0),
    feedback        TEXT,
    submitted_at    TEXT NOT NULL,
    graded_at       TEXT,
    graded_by       INTEGER REFERENCES users (id),
    submission_count INTEGER NOT NULL DEFAULT 1 CHECK (submission_count >= 1),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_assignment_submissions_graded CHECK (status <> 'graded' OR (grade IS NOT NULL AND graded_at IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX ux_assignment_submissions_user_assignment ON assignment_submissions (user_id, assignment_id);
CREATE INDEX ix_assignment_submissions_assignment_status ON assignment_submissions (assignment_id, status, submitted_at, id);
CREATE INDEX ix_assignment_submissions_status ON assignment_submissions (status, submitted_at, id);
CREATE INDEX ix_assignment_submissions_graded_by ON assignment_submissions (graded_by);

CREATE TABLE quizzes (
    id              INTEGER PRIMARY KEY,
    lesson_id       INTEGER REFERENCES lessons (id),
    program_id      INTEGER REFERENCES programs (id),
    title           TEXT NOT NULL,
    points          INTEGER NOT NULL DEFAULT 10 CHECK (points >= 0),
    required        INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_quizzes_parent CHECK ((lesson_id IS NULL) <> (program_id IS NULL))
) STRICT;
CREATE INDEX ix_quizzes_lesson ON quizzes (lesson_id);
CREATE INDEX ix_quizzes_program ON quizzes (program_id);

CREATE TABLE quiz_questions (
    id              INTEGER PRIMARY KEY,
    quiz_id         INTEGER NOT NULL REFERENCES quizzes (id),
    question        TEXT NOT NULL,
    options         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options) AND json_type(options) = 'array'),
    correct_index   INTEGER NOT NULL CHECK (correct_index >= 0),
    position        INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX ix_quiz_questions_quiz_position ON quiz_questions (quiz_id, position, id);

CREATE TABLE quiz_submissions (
    id              INTEGER PRIMARY KEY,
    quiz_id         INTEGER NOT NULL REFERENCES quizzes (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    answers         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(answers) AND json_type(answers) = 'object'),
    score           INTEGER NOT NULL DEFAULT 0 CHECK (score >= 0 AND score <= 100),
    total_questions INTEGER NOT NULL DEFAULT 0 CHECK (total_questions >= 0),
    correct_answers INTEGER NOT NULL DEFAULT 0 CHECK (correct_answers >= 0),
    points_earned   INTEGER NOT NULL DEFAULT 0 CHECK (points_earned >= 0),
    submitted_at    TEXT NOT NULL,
    CONSTRAINT ck_quiz_submissions_counts CHECK (correct_answers <= total_questions)
) STRICT;
CREATE UNIQUE INDEX ux_quiz_submissions_user_quiz ON quiz_submissions (user_id, quiz_id);
CREATE INDEX ix_quiz_submissions_quiz ON quiz_submissions (quiz_id, submitted_at, id);

CREATE TABLE reviews (
    id              INTEGER PRIMARY KEY,
    program_id      INTEGER NOT NULL REFERENCES programs (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    -- BR-10
    rating          INTEGER NOT NULL CHECK (rating >= 1 AND rating <= 5),
    comment         TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_reviews_user_program ON reviews (user_id, program_id);
CREATE INDEX ix_reviews_program ON reviews (program_id, created_at, id);

-- =============================================================================
-- 7. Content and moderation
-- =============================================================================

CREATE TABLE posts (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL,
    title           TEXT NOT NULL,
    excerpt         TEXT,
    content         TEXT NOT NULL DEFAULT '',
    cover_image_url TEXT,
    video_url       TEXT,
    post_type       TEXT NOT NULL DEFAULT 'article'
                    CHECK (post_type IN ('article', 'session_summary', 'tutorial', 'announcement', 'student_blog')),
    category_id     INTEGER REFERENCES categories (id),
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'pending', 'approved', 'rejected', 'published', 'archived')),
    featured        INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
    view_count      INTEGER NOT NULL DEFAULT 0 CHECK (view_count >= 0),
    read_time_minutes INTEGER NOT NULL DEFAULT 0 CHECK (read_time_minutes >= 0),
    seo_title       TEXT,
    seo_description TEXT,
    author_id       INTEGER NOT NULL REFERENCES users (id),
    reviewed_by     INTEGER REFERENCES users (id),
    rejection_reason TEXT,
    rejected_at     TEXT,
    publish_at      TEXT,
    published_at    TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- BR-07
    CONSTRAINT ck_posts_published_at CHECK (status <> 'published' OR published_at IS NOT NULL),
    CONSTRAINT ck_posts_rejection_reason CHECK (status <> 'rejected' OR COALESCE(rejection_reason, '') <> '')
) STRICT;
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug);
CREATE INDEX ix_posts_status_updated ON posts (status, updated_at, id);
CREATE INDEX ix_posts_updated ON posts (updated_at, id);
CREATE INDEX ix_posts_published_at ON posts (published_at, id);
CREATE INDEX ix_posts_publish_at ON posts (publish_at);
CREATE INDEX ix_posts_author ON posts (author_id, updated_at, id);
CREATE INDEX ix_posts_category ON posts (category_id);
CREATE INDEX ix_posts_reviewed_by ON posts (reviewed_by);

-- BR-15: tags.use_count = number of post_tags + case_study_tags rows (same transaction)
CREATE TABLE post_tags (
    post_id         INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag_id          INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (post_id, tag_id)
) STRICT;
CREATE INDEX ix_post_tags_tag ON post_tags (tag_id);

CREATE TABLE comments (
    id              INTEGER PRIMARY KEY,
    post_id         INTEGER NOT NULL REFERENCES posts (id),
    author_id       INTEGER NOT NULL REFERENCES users (id),
    parent_id       INTEGER REFERENCES comments (id),
    content         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'visible'
                    CHECK (status IN ('visible', 'hidden')),
    upvotes         INTEGER NOT NULL DEFAULT 0 CHECK (upvotes >= 0),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX ix_comments_post_created ON comments (post_id, created_at, id);
CREATE INDEX ix_comments_status_created ON comments (status, created_at, id);
CREATE INDEX ix_comments_parent ON comments (parent_id);
CREATE INDEX ix_comments_author ON comments (author_id);

CREATE TABLE case_studies (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL,
    title           TEXT NOT NULL,
    subtitle        TEXT,
    problem         TEXT,
    solution        TEXT,
    role            TEXT,
    results         TEXT,
    lessons_learned TEXT,
    project_type    TEXT NOT NULL DEFAULT 'other'
                    CHECK (project_type IN ('mvp', 'dashboard', 'landing', 'ui_upgrade', 'other')),
    client_type     TEXT NOT NULL DEFAULT 'business'
                    CHECK (client_type IN ('student', 'business', 'personal', 'internal')),
    live_url        TEXT,
    repo_url        TEXT,
    featured        INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'published', 'archived')),
    display_order   INTEGER NOT NULL DEFAULT 0,
    view_count      INTEGER NOT NULL DEFAULT 0 CHECK (view_count >= 0),
    started_at      TEXT,
    completed_at    TEXT,
    published_at    TEXT,
    created_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- BR-07
    CONSTRAINT ck_case_studies_published_at CHECK (status <> 'published' OR published_at IS NOT NULL),
    CONSTRAINT ck_case_studies_dates CHECK (started_at IS NULL OR completed_at IS NULL OR completed_at >= started_at)
) STRICT;
CREATE UNIQUE INDEX ux_case_studies_slug ON case_studies (slug);
CREATE INDEX ix_case_studies_status_order ON case_studies (status, display_order, id);
CREATE INDEX ix_case_studies_updated ON case_studies (updated_at, id);
CREATE INDEX ix_case_studies_created_by ON case_studies (created_by);

CREATE TABLE case_study_media (
    id              INTEGER PRIMARY KEY,
    case_study_id   INTEGER NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    media_type      TEXT NOT NULL DEFAULT 'image'
                    CHECK (media_type IN ('image', 'video', 'gif')),
    file_path       TEXT,
    file_url        TEXT NOT NULL,
    caption         TEXT,
    alt_text        TEXT,
    display_order   INTEGER NOT NULL DEFAULT 0,
    is_thumbnail    INTEGER NOT NULL DEFAULT 0 CHECK (is_thumbnail IN (0, 1)),
    created_at      TEXT NOT NULL
) STRICT;
-- BR-04: at most one thumbnail per case study (at least one: checked before publishing)
CREATE UNIQUE INDEX ux_case_study_media_thumbnail ON case_study_media (case_study_id) WHERE is_thumbnail = 1;
CREATE INDEX ix_case_study_media_case_study ON case_study_media (case_study_id, display_order, id);

CREATE TABLE case_study_tags (
    case_study_id   INTEGER NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    tag_id          INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (case_study_id, tag_id)
) STRICT;
CREATE INDEX ix_case_study_tags_tag ON case_study_tags (tag_id);

CREATE TABLE case_study_tech (
    case_study_id   INTEGER NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    tech_stack_id   INTEGER NOT NULL REFERENCES tech_stack (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (case_study_id, tech_stack_id)
) STRICT;
CREATE INDEX ix_case_study_tech_tech ON case_study_tech (tech_stack_id);

CREATE TABLE testimonials (
    id              INTEGER PRIMARY KEY,
    author_name     TEXT NOT NULL,
    author_role     TEXT,
    author_avatar_url TEXT,
    content         TEXT NOT NULL,
    -- BR-10
    rating          INTEGER CHECK (rating >= 1 AND rating <= 5),
    testimonial_type TEXT NOT NULL DEFAULT 'student'
                    CHECK (testimonial_type IN ('student', 'client', 'partner')),
    case_study_id   INTEGER REFERENCES case_studies (id),
    is_featured     INTEGER NOT NULL DEFAULT 0 CHECK (is_featured IN (0, 1)),
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'rejected')),
    rejection_reason TEXT,
    display_order   INTEGER NOT NULL DEFAULT 0,
    approved_at     TEXT,
    approved_by     INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_testimonials_rejection_reason CHECK (status <> 'rejected' OR COALESCE(rejection_reason, '') <> ''),
    CONSTRAINT ck_testimonials_approved_at CHECK (status <> 'approved' OR approved_at IS NOT NULL),
    CONSTRAINT ck_testimonials_featured_approved CHECK (NOT is_featured OR status = 'approved')
) STRICT;
CREATE INDEX ix_testimonials_status_order ON testimonials (status, display_order, id);
CREATE INDEX ix_testimonials_featured ON testimonials (is_featured, display_order, id);
CREATE INDEX ix_testimonials_case_study ON testimonials (case_study_id);

CREATE TABLE announcements (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    audience        TEXT NOT NULL DEFAULT 'all'
                    CHECK (audience IN ('all', 'website', 'student', 'instructor', 'admin', 'specific_users')),
    cohort_id       INTEGER REFERENCES cohorts (id),
    target_user_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(target_user_ids) AND json_type(target_user_ids) = 'array'),
    is_urgent       INTEGER NOT NULL DEFAULT 0 CHECK (is_urgent IN (0, 1)),
    is_auto         INTEGER NOT NULL DEFAULT 0 CHECK (is_auto IN (0, 1)),
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'scheduled', 'published', 'expired')),
    publish_at      TEXT,
    published_at    TEXT,
    view_count      INTEGER NOT NULL DEFAULT 0 CHECK (view_count >= 0),
    created_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_announcements_publish_at CHECK (status <> 'scheduled' OR publish_at IS NOT NULL),
    CONSTRAINT ck_announcements_published_at CHECK (status <> 'published' OR published_at IS NOT NULL)
) STRICT;
CREATE INDEX ix_announcements_status_created ON announcements (status, created_at, id);
CREATE INDEX ix_announcements_created ON announcements (created_at, id);
CREATE INDEX ix_announcements_publish_at ON announcements (publish_at);
CREATE INDEX ix_announcements_cohort ON announcements (cohort_id);
CREATE INDEX ix_announcements_created_by ON announcements (created_by);

CREATE TABLE announcement_reads (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    read_at         TEXT NOT NULL,
    PRIMARY KEY (user_id, announcement_id)
) STRICT;
CREATE INDEX ix_announcement_reads_announcement ON announcement_reads (announcement_id);

CREATE TABLE pages (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL,
    title           TEXT,
    content         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(content) AND json_type(content) = 'object'),
    is_published    INTEGER NOT NULL DEFAULT 0 CHECK (is_published IN (0, 1)),
    updated_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_pages_key ON pages (key);

CREATE TABLE home_sections (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL,
    title           TEXT,
    content         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(content) AND json_type(content) = 'object'),
    is_enabled      INTEGER NOT NULL DEFAULT 0 CHECK (is_enabled IN (0, 1)),
    sort_order      INTEGER NOT NULL DEFAULT 0,
    updated_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_home_sections_key ON home_sections (key);
CREATE INDEX ix_home_sections_order ON home_sections (is_enabled, sort_order, id);

-- exactly one row, id = 1 (the application upserts it)
CREATE TABLE site_settings (
    id              INTEGER PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    site_name       TEXT NOT NULL DEFAULT '',
    default_event_location TEXT,
    contact_info    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(contact_info) AND json_type(contact_info) = 'object'),
    social_links    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(social_links) AND json_type(social_links) = 'object'),
    content         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(content) AND json_type(content) = 'object'),
    updated_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE theme_tokens (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    value           TEXT NOT NULL,
    scope           TEXT NOT NULL DEFAULT 'global'
                    CHECK (scope IN ('global', 'web', 'admin')),
    sort_order      INTEGER NOT NULL DEFAULT 0,
    updated_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_theme_tokens_key ON theme_tokens (key);

-- =============================================================================
-- 8. Internal work, support, money
-- =============================================================================

CREATE TABLE projects (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    description     TEXT,
    status          TEXT NOT NULL DEFAULT 'planning'
                    CHECK (status IN ('planning', 'active', 'on_hold', 'completed', 'cancelled')),
    priority        TEXT NOT NULL DEFAULT 'medium'
                    CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    start_date      TEXT,
    end_date        TEXT,
    budget_minor    INTEGER CHECK (budget_minor >= 0),
    budget_currency TEXT CHECK (length(budget_currency) = 3 AND budget_currency = upper(budget_currency)),
    location        TEXT,
    created_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_projects_budget CHECK ((budget_minor IS NULL) = (budget_currency IS NULL)),
    CONSTRAINT ck_projects_dates CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX ix_projects_status ON projects (status, updated_at, id);
CREATE INDEX ix_projects_created_by ON projects (created_by);

CREATE TABLE tasks (
    id              INTEGER PRIMARY KEY,
    project_id      INTEGER NOT NULL REFERENCES projects (id),
    title           TEXT NOT NULL,
    description     TEXT,
    assigned_to     INTEGER REFERENCES users (id),
    status          TEXT NOT NULL DEFAULT 'todo'
                    CHECK (status IN ('todo', 'in_progress', 'review', 'done')),
    priority        TEXT NOT NULL DEFAULT 'medium'
                    CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    due_date        TEXT,
    order_index     INTEGER NOT NULL DEFAULT 0,
    completed_at    TEXT,
    created_by      INTEGER REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_tasks_completed_at CHECK (status <> 'done' OR completed_at IS NOT NULL)
) STRICT;
CREATE INDEX ix_tasks_project_status_order ON tasks (project_id, status, order_index, id);
CREATE INDEX ix_tasks_assigned ON tasks (assigned_to, status);
CREATE INDEX ix_tasks_due_date ON tasks (due_date);
CREATE INDEX ix_tasks_created_by ON tasks (created_by);

CREATE TABLE help_requests (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    subject         TEXT NOT NULL,
    message         TEXT NOT NULL,
    requester_type  TEXT NOT NULL DEFAULT 'student'
                    CHECK (requester_type IN ('teacher', 'student', 'admin')),
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'in_progress', 'resolved', 'closed')),
    response        TEXT,
    responded_at    TEXT,
    responded_by    INTEGER REFERENCES users (id),
    user_reply      TEXT,
    user_replied_at TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_help_requests_response CHECK (response IS NULL OR responded_at IS NOT NULL)
) STRICT;
CREATE INDEX ix_help_requests_status_created ON help_requests (status, created_at, id);
CREATE INDEX ix_help_requests_created ON help_requests (created_at, id);
CREATE INDEX ix_help_requests_user ON help_requests (user_id);
CREATE INDEX ix_help_requests_responded_by ON help_requests (responded_by);

CREATE TABLE instructor_applications (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'rejected')),
    application_data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(application_data) AND json_type(application_data) = 'object'),
    rejection_reason TEXT,
    reviewed_by     INTEGER REFERENCES users (id),
    reviewed_at     TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_instructor_applications_rejection_reason CHECK (status <> 'rejected' OR COALESCE(rejection_reason, '') <> ''),
    CONSTRAINT ck_instructor_applications_reviewed CHECK (status = 'pending' OR reviewed_at IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX ux_instructor_applications_user ON instructor_applications (user_id);
CREATE INDEX ix_instructor_applications_status_created ON instructor_applications (status, created_at, id);
CREATE INDEX ix_instructor_applications_reviewed_by ON instructor_applications (reviewed_by);

CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    enrollment_id   INTEGER NOT NULL REFERENCES enrollments (id),
    amount_minor    INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency        TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
    provider        TEXT NOT NULL DEFAULT 'manual',
    provider_payment_id TEXT,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'completed', 'failed', 'refunded', 'cancelled')),
    refund_amount_minor INTEGER CHECK (refund_amount_minor >= 0),
    refund_reason   TEXT,
    refunded_at     TEXT,
    metadata        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT ck_payments_refund_amount CHECK (refund_amount_minor IS NULL OR refund_amount_minor <= amount_minor),
    CONSTRAINT ck_payments_refunded CHECK (status <> 'refunded' OR (refund_amount_minor IS NOT NULL AND refunded_at IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX ux_payments_provider_payment ON payments (provider, provider_payment_id);
CREATE INDEX ix_payments_enrollment ON payments (enrollment_id);
CREATE INDEX ix_payments_status_created ON payments (status, created_at, id);
CREATE INDEX ix_payments_created ON payments (created_at, id);

CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    message         TEXT NOT NULL,
    link            TEXT,
    read            INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX ix_notifications_user_read_created ON notifications (user_id, read, created_at, id);

-- =============================================================================
-- 9. The audit trail (append-only; ids are assigned by the application)
-- =============================================================================

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    actor_id        INTEGER REFERENCES users (id),
    action          TEXT NOT NULL,
    entity_type     TEXT NOT NULL,
    entity_id       INTEGER,
    summary         TEXT NOT NULL,
    -- plain TEXT on both backends: the exact bytes are part of the hash
    old_values      TEXT,
    new_values      TEXT,
    remote          TEXT NOT NULL,
    client          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ux_audit_log_hash ON audit_log (hash);
CREATE INDEX ix_audit_log_created ON audit_log (created_at, id);
CREATE INDEX ix_audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX ix_audit_log_entity ON audit_log (entity_type, entity_id, id);
CREATE INDEX ix_audit_log_action ON audit_log (action, id);

-- =============================================================================
-- TUI: per-user saved filters and preferences
-- =============================================================================

CREATE TABLE user_preferences (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key             TEXT NOT NULL,
    value           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(value)),
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
) STRICT;
