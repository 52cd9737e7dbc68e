//! The one lead filter: the board's `/` search and quick filters, `staffroom export
//! leads`, and `E` in the TUI all build their WHERE clause here, so an export holds
//! exactly the rows the board shows.

use super::Backend;
use crate::domain::lead::{Interest, LeadSource, LeadStatus};
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// Whose leads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assigned {
    #[default]
    Anyone,
    /// The logged-in user's (kept as "me", not an id, so a saved filter follows
    /// whoever uses it).
    Me,
    Unassigned,
    User(i64),
}

/// A filter over leads. The default matches every lead. Saved per user as JSON
/// (`user_preferences`, key `pipeline.filter`), so fields only ever get added.
///
/// A saved filter is untrusted (an older version, another tool or a hand edit may
/// have written it): `where_sql` never panics on any field value, and `validate`
/// says whether the values are in range (`prefs::load_pipeline_filter` drops a
/// filter that is not).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadFilter {
    /// Words that must all appear in the name, email, phone, WhatsApp or message.
    pub text: String,
    pub assigned: Assigned,
    /// Open leads whose next follow-up has passed.
    pub overdue: bool,
    pub source: Option<LeadSource>,
    pub interest: Option<Interest>,
    /// Created within this many days.
    pub age_days: Option<u32>,
    /// Created at or after (export `--since`).
    pub since: Option<DateTime<Utc>>,
    /// Only these stages (export `--status`); empty: all.
    pub statuses: Vec<LeadStatus>,
}

/// A value bound to a filter placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Text(String),
    Int(i64),
    Time(DateTime<Utc>),
}

/// `AND …` clauses and their values, numbered from the `first` placeholder given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Where {
    pub sql: String,
    pub binds: Vec<Bind>,
    /// SQLite, with `where_sql_matching`'s clause: the full-text query, which the
    /// caller runs itself (it is not among `binds`).
    pub fts_text: Option<String>,
}

/// Binds a `Where`'s values onto a query (either backend, `query` or `query_as`).
#[macro_export]
macro_rules! bind_where {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                $crate::store::lead_filter::Bind::Text(s) => q.bind(s.clone()),
                $crate::store::lead_filter::Bind::Int(i) => q.bind(*i),
                $crate::store::lead_filter::Bind::Time(t) => q.bind(*t),
            };
        }
        q
    }};
}

/// The longest `age_days` a filter may hold (`validate`): 100 years.
pub const MAX_AGE_DAYS: u32 = 36_500;
/// The longest search text a filter may hold (`validate`), in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// At most this many words of search text are matched.
pub const MAX_WORDS: usize = 5;
/// Trigram indexes match words of 3 characters or more.
pub const MIN_WORD: usize = 3;

/// The searched text on PostgreSQL: exactly the expression of the trigram index
/// (migrations/postgres/0006_lead_search.sql), or the planner cannot use it.
const SEARCH_TEXT_PG: &str = "lower(full_name || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' \
     || coalesce(whatsapp, '') || ' ' || coalesce(message, ''))";

/// An FTS5 phrase matching `word` literally (quotes doubled, so nothing typed is
/// read as query syntax).
fn fts_phrase(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

impl LeadFilter {
    pub fn is_empty(&self) -> bool {
        *self == LeadFilter::default()
    }

    /// The search words, lowercased, that are long enough to search: both
    /// backends' trigram indexes need 3 characters (shorter words would mean a
    /// full scan per keystroke).
    fn words(&self) -> Vec<String> {
        self.text
            .split_whitespace()
            .filter(|w| w.chars().count() >= MIN_WORD)
            .take(MAX_WORDS)
            .map(str::to_lowercase)
            .collect()
    }

    /// The filter as the board's query sees it: the text reduced to the words that
    /// are searched. Two filters with the same `searched()` load the same board, so
    /// typing a letter that does not change it (a word still under 3 letters) need
    /// not reload anything.
    pub fn searched(&self) -> LeadFilter {
        LeadFilter { text: self.words().join(" "), ..self.clone() }
    }

    /// Does the filter search text (a selective, index-served condition)?
    pub fn searches(&self) -> bool {
        !self.words().is_empty()
    }

    /// Typed words too short to search yet (the header says so).
    pub fn short_words(&self) -> bool {
        self.text.split_whitespace().any(|w| w.chars().count() < MIN_WORD)
    }

    /// The typed words under `MIN_WORD` characters, which the search leaves out
    /// (each once, in typed order).
    pub fn short_word_list(&self) -> Vec<&str> {
        let mut short: Vec<&str> = Vec::new();
        for w in self.text.split_whitespace().filter(|w| w.chars().count() < MIN_WORD) {
            if !short.contains(&w) {
                short.push(w);
            }
        }
        short
    }

    /// Does the search match exactly the words typed? `Err` says which words it
    /// would leave out (under `MIN_WORD` characters, or past the first `MAX_WORDS`),
    /// so matching more leads than asked. The board searches anyway and says so in
    /// its header; an export refuses (`lead_io::check_exportable`).
    pub fn search_is_exact(&self) -> Result<(), String> {
        let short = self.short_word_list();
        if !short.is_empty() {
            let list = short.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(", ");
            let (is, them) = if short.len() == 1 { ("is", "it") } else { ("are", "them") };
            return Err(format!(
                "{list} {is} shorter than {MIN_WORD} letters and would not be searched, so more leads would \
                 match than asked; use longer words or leave {them} out"
            ));
        }
        let n = self.text.split_whitespace().count();
        if n > MAX_WORDS {
            return Err(format!(
                "at most {MAX_WORDS} words are searched and {n} were given, so more leads would match than asked"
            ));
        }
        Ok(())
    }

    /// The clauses for this filter. `me` resolves `Assigned::Me`; without a user it
    /// matches nothing. Placeholders start at `$first`.
    pub fn where_sql(&self, backend: Backend, me: Option<i64>, now: DateTime<Utc>, first: usize) -> Where {
        self.where_sql_matching(backend, me, now, first, None)
    }

    /// `where_sql`, but on SQLite the search is the clause `matches` (`+id IN
    /// temp.board_match`), reading a table of the matching ids that the caller fills
    /// from `Where::fts_text`, so queries over several stages run the full-text
    /// search once, not once per stage.
    pub fn where_sql_matching(
        &self,
        backend: Backend,
        me: Option<i64>,
        now: DateTime<Utc>,
        first: usize,
        matches: Option<&str>,
    ) -> Where {
        let mut w = Where::default();
        let push = |w: &mut Where, b: Bind| {
            w.binds.push(b);
            first + w.binds.len() - 1
        };
        // SQLite: every word in one MATCH ("sara" AND ("0100" OR "100")), one lookup
        // of the FTS index however many words.
        let mut fts = Vec::new();
        for word in self.words() {
            // Phones are stored normalised (+201001234567): also match the digits typed.
            let digits: String =
                crate::domain::contact::ascii_digits(&word).chars().filter(char::is_ascii_digit).collect();
            let digits =
                (digits.len() >= MIN_WORD && digits != word && digits.len() * 2 >= word.len()).then_some(digits);
            // A whole number as the office writes it (020 7946 0958 in one word) is
            // searched as stored: E.164, whose digits drop the trunk 0.
            let digits = match crate::domain::contact::whole_phone(&word) {
                Some(e164) if e164[1..] != word => Some(e164[1..].to_string()),
                _ => digits,
            };
            match backend {
                // The FTS5 trigram table of migration 0006: a substring match in any
                // searched column, case-insensitive.
                Backend::Sqlite => fts.push(match &digits {
                    Some(d) => format!("({} OR {})", fts_phrase(&word), fts_phrase(d)),
                    None => fts_phrase(&word),
                }),
                // The pg_trgm index of migration 0006 serves LIKE on this expression.
                Backend::Postgres => {
                    let n = push(&mut w, Bind::Text(format!("%{}%", escape_like(&word))));
                    match &digits {
                        Some(d) => {
                            let m = push(&mut w, Bind::Text(format!("%{d}%")));
                            w.sql.push_str(&format!(
                                " AND ({SEARCH_TEXT_PG} LIKE ${n} ESCAPE '\\' OR {SEARCH_TEXT_PG} LIKE ${m})"
                            ));
                        }
                        None => w.sql.push_str(&format!(" AND {SEARCH_TEXT_PG} LIKE ${n} ESCAPE '\\'")),
                    }
                }
            }
        }
        if !fts.is_empty() {
            let text = fts.join(" AND ");
            match matches {
                Some(clause) => {
                    w.sql.push_str(&format!(" AND {clause}"));
                    w.fts_text = Some(text);
                }
                None => {
                    let n = push(&mut w, Bind::Text(text));
                    w.sql.push_str(&format!(" AND id IN (SELECT rowid FROM lead_search WHERE lead_search MATCH ${n})"))
                }
            }
        }
        match self.assigned {
            Assigned::Anyone => {}
            Assigned::Unassigned => w.sql.push_str(" AND assigned_to IS NULL"),
            Assigned::Me | Assigned::User(_) => {
                let id = if let Assigned::User(id) = self.assigned { id } else { me.unwrap_or(-1) };
                let n = push(&mut w, Bind::Int(id));
                w.sql.push_str(&format!(" AND assigned_to = ${n}"));
            }
        }
        if self.overdue {
            let n = push(&mut w, Bind::Time(now));
            w.sql.push_str(&format!(" AND next_follow_up_at < ${n} AND status NOT IN ('closed_won', 'closed_lost')"));
        }
        if let Some(source) = self.source {
            let n = push(&mut w, Bind::Text(source.as_str().into()));
            w.sql.push_str(&format!(" AND source = ${n}"));
        }
        if let Some(interest) = self.interest {
            let n = push(&mut w, Bind::Text(interest.as_str().into()));
            w.sql.push_str(&format!(" AND interested_in = ${n}"));
        }
        // Checked: an age beyond the calendar (a saved 4000000000) means every lead,
        // not a panic.
        let age = self.age_days.and_then(|d| TimeDelta::try_days(i64::from(d))).and_then(|d| now.checked_sub_signed(d));
        if let Some(since) = [age, self.since].into_iter().flatten().max() {
            let n = push(&mut w, Bind::Time(bindable(since)));
            w.sql.push_str(&format!(" AND created_at >= ${n}"));
        }
        if !self.statuses.is_empty() {
            let list: Vec<String> = self
                .statuses
                .iter()
                .map(|s| {
                    let n = push(&mut w, Bind::Text(s.as_str().into()));
                    format!("${n}")
                })
                .collect();
            w.sql.push_str(&format!(" AND status IN ({})", list.join(", ")));
        }
        w
    }

    /// Checks that every value is in range: `age_days` 1 to `MAX_AGE_DAYS`, `since`
    /// in years 1 to 9999, an assignee id above 0, no more stages than there are,
    /// search text of at most `MAX_TEXT_CHARS` characters without control
    /// characters. `Err` names the field and why. `where_sql` copes with any value
    /// anyway; this is for loading a saved filter (`prefs::load_pipeline_filter`).
    pub fn validate(&self) -> Result<(), String> {
        let chars = self.text.chars().count();
        if chars > MAX_TEXT_CHARS {
            return Err(format!("text: {chars} characters, at most {MAX_TEXT_CHARS}"));
        }
        if self.text.chars().any(char::is_control) {
            return Err("text: holds control characters".into());
        }
        if let Some(d) = self.age_days.filter(|d| !(1..=MAX_AGE_DAYS).contains(d)) {
            return Err(format!("age_days: {d} is out of range (1 to {MAX_AGE_DAYS} days)"));
        }
        if let Some(t) = self.since.filter(|t| !(1..=9999).contains(&t.year())) {
            return Err(format!("since: year {} is out of range (1 to 9999)", t.year()));
        }
        if let Assigned::User(id) = self.assigned
            && id < 1
        {
            return Err(format!("assigned: {id} is not a user id"));
        }
        if self.statuses.len() > LeadStatus::ALL.len() {
            return Err(format!(
                "statuses: {} listed, there are {} stages",
                self.statuses.len(),
                LeadStatus::ALL.len()
            ));
        }
        Ok(())
    }

    /// The filter in a few words, for the board's header ("mine · overdue · 'sara'").
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.text.trim().is_empty() {
            parts.push(format!("\"{}\"", self.text.trim()));
        }
        match self.assigned {
            Assigned::Anyone => {}
            Assigned::Me => parts.push("mine".into()),
            Assigned::Unassigned => parts.push("unassigned".into()),
            Assigned::User(id) => parts.push(format!("assigned to #{id}")),
        }
        if self.overdue {
            parts.push("overdue".into());
        }
        if let Some(s) = self.source {
            parts.push(format!("source {}", s.as_str().replace('_', " ")));
        }
        if let Some(i) = self.interest {
            parts.push(format!("interest {}", i.as_str().replace('_', " ")));
        }
        if let Some(d) = self.age_days {
            parts.push(format!("last {d} days"));
        }
        if let Some(t) = self.since {
            parts.push(format!("since {}", t.format("%Y-%m-%d")));
        }
        if !self.statuses.is_empty() {
            parts.push(self.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("/"));
        }
        parts.join(" · ")
    }
}

/// `t` within years 1 to 9999: what both backends store, and what SQLite compares
/// correctly as text (a five-digit or negative year would sort wrongly, and
/// PostgreSQL refuses instants before 4713 BC). Outside that range a bound only says
/// "everything" or "nothing", which the clamped value says too.
fn bindable(t: DateTime<Utc>) -> DateTime<Utc> {
    let day = |y, m, d, h, min, s| NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(h, min, s));
    match (day(1, 1, 1, 0, 0, 0), day(9999, 12, 31, 23, 59, 59)) {
        (Some(lo), Some(hi)) => t.clamp(lo.and_utc(), hi.and_utc()),
        _ => t,
    }
}

/// Escapes LIKE's wildcards so a typed `%` or `_` matches itself.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_filter_adds_nothing() {
        let w = LeadFilter::default().where_sql(Backend::Sqlite, Some(1), Utc::now(), 1);
        assert_eq!(w, Where::default());
        assert!(LeadFilter::default().is_empty());
    }

    #[test]
    fn placeholders_continue_from_first() {
        let f = LeadFilter {
            text: "Sara 0100".into(),
            assigned: Assigned::Me,
            source: Some(LeadSource::Whatsapp),
            ..LeadFilter::default()
        };
        let w = f.where_sql(Backend::Postgres, Some(7), Utc::now(), 3);
        // sara → $3; 0100 → $4 (all digits: no second pattern); me → $5; source → $6
        assert!(w.sql.contains("LIKE $3") && w.sql.contains("LIKE $4") && w.sql.contains("assigned_to = $5"));
        assert!(w.sql.contains("source = $6"));
        assert_eq!(w.binds[0], Bind::Text("%sara%".into()));
        assert_eq!(w.binds[2], Bind::Int(7));
        let w = f.where_sql(Backend::Sqlite, Some(7), Utc::now(), 1);
        assert_eq!(w.binds[0], Bind::Text("\"sara\" AND \"0100\"".into()));
        assert!(w.sql.contains("lead_search MATCH $1"));
        assert_eq!(w.binds[1].clone(), Bind::Int(7), "one MATCH for every word");
        let m = f.where_sql_matching(Backend::Sqlite, Some(7), Utc::now(), 1, Some("+id IN m"));
        assert!(m.sql.contains("+id IN m") && !m.sql.contains("MATCH"), "{}", m.sql);
        assert!(m.sql.contains("assigned_to = $1"), "the search takes no placeholder: {}", m.sql);
        assert_eq!(m.fts_text.as_deref(), Some("\"sara\" AND \"0100\""), "the caller runs the search");
        assert_eq!(m.binds, w.binds[1..], "the other values, the search read from the table");
        assert_eq!(f.describe(), "\"Sara 0100\" · mine · source whatsapp");
    }

    #[test]
    fn a_whole_national_number_is_searched_as_stored() {
        // In the default region (EG): 0100 123 4567 is stored +201001234567.
        let f = LeadFilter { text: "01001234567".into(), ..LeadFilter::default() };
        let w = f.where_sql(Backend::Sqlite, None, Utc::now(), 1);
        assert_eq!(w.binds, vec![Bind::Text("(\"01001234567\" OR \"201001234567\")".into())]);
    }

    #[test]
    fn short_words_and_query_syntax_are_not_searched() {
        let f = LeadFilter { text: "al \"x\" OR* 010-1234".into(), ..LeadFilter::default() };
        assert!(f.short_words());
        let w = f.where_sql(Backend::Sqlite, None, Utc::now(), 1);
        let texts: Vec<&Bind> = w.binds.iter().collect();
        assert_eq!(texts, vec![&Bind::Text("\"\"\"x\"\"\" AND \"or*\" AND (\"010-1234\" OR \"0101234\")".into())]);
    }

    #[test]
    fn a_search_that_would_leave_words_out_says_which() {
        let f = |text: &str| LeadFilter { text: text.into(), ..LeadFilter::default() };
        assert_eq!(f("").search_is_exact(), Ok(()));
        assert_eq!(f("sara cairo").search_is_exact(), Ok(()));
        assert_eq!(f("f1 sara ab f1").short_word_list(), vec!["f1", "ab"]);
        let err = f("f1 sara ab f1").search_is_exact().unwrap_err();
        assert!(err.starts_with("'f1', 'ab' are shorter than 3 letters"), "{err}");
        let err = f("one two three four five six").search_is_exact().unwrap_err();
        assert!(err.starts_with("at most 5 words are searched and 6 were given"), "{err}");
    }

    #[test]
    fn no_field_value_panics_and_validate_names_the_field() {
        let now = Utc::now();
        let extremes = [
            LeadFilter { age_days: Some(u32::MAX), ..LeadFilter::default() },
            LeadFilter {
                age_days: Some(4_000_000_000),
                since: Some(DateTime::<Utc>::MIN_UTC),
                ..LeadFilter::default()
            },
            LeadFilter {
                since: Some(DateTime::<Utc>::MAX_UTC),
                assigned: Assigned::User(i64::MIN),
                ..LeadFilter::default()
            },
            LeadFilter { text: "x".repeat(10_000), overdue: true, ..LeadFilter::default() },
        ];
        for f in &extremes {
            for backend in [Backend::Sqlite, Backend::Postgres] {
                let w = f.where_sql(backend, Some(1), now, 1);
                for b in &w.binds {
                    if let Bind::Time(t) = b {
                        assert!((1..=9999).contains(&t.year()), "{f:?}: {t}");
                    }
                }
            }
            let _ = f.describe();
            assert!(f.validate().is_err(), "{f:?}");
        }
        // An age past the calendar is every lead: no created_at clause at all.
        let w = extremes[0].where_sql(Backend::Sqlite, None, now, 1);
        assert_eq!(w, Where::default());
        let err = LeadFilter { age_days: Some(4_000_000_000), ..LeadFilter::default() }.validate().unwrap_err();
        assert_eq!(err, "age_days: 4000000000 is out of range (1 to 36500 days)");
        assert!(
            LeadFilter { age_days: Some(0), ..LeadFilter::default() }.validate().unwrap_err().starts_with("age_days")
        );
        assert!(LeadFilter { text: "a\u{1b}b".into(), ..LeadFilter::default() }.validate().is_err());
        let many = LeadFilter { statuses: [LeadStatus::ALL, LeadStatus::ALL].concat(), ..LeadFilter::default() };
        assert!(many.validate().unwrap_err().starts_with("statuses"));
        // What the board itself builds is valid.
        for f in [
            LeadFilter::default(),
            LeadFilter {
                age_days: Some(90),
                assigned: Assigned::Me,
                text: "sara 0100".into(),
                ..LeadFilter::default()
            },
            LeadFilter { since: Some(now), statuses: LeadStatus::ALL.to_vec(), ..LeadFilter::default() },
        ] {
            assert_eq!(f.validate(), Ok(()), "{f:?}");
        }
    }

    #[test]
    fn wildcards_are_literal() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
    }

    #[test]
    fn saved_filters_survive_new_fields() {
        let f: LeadFilter = serde_json::from_str(r#"{"assigned":"me","overdue":true}"#).unwrap();
        assert_eq!(f.assigned, Assigned::Me);
        assert!(f.overdue && f.text.is_empty());
        let round: LeadFilter = serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        assert_eq!(round, f);
    }
}

/// A filter as seen by one user at one moment ("mine", "overdue" need both).
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    pub filter: LeadFilter,
    pub me: Option<i64>,
    pub now: DateTime<Utc>,
}

impl Scope {
    /// Every lead.
    pub fn all() -> Scope {
        Scope { filter: LeadFilter::default(), me: None, now: super::now() }
    }

    pub fn new(filter: LeadFilter, me: Option<i64>) -> Scope {
        Scope { filter, me, now: super::now() }
    }

    /// The clauses for `backend`, with placeholders from `$first`.
    pub fn sql(&self, backend: Backend, first: usize) -> Where {
        live(self.filter.where_sql(backend, self.me, self.now, first))
    }

    /// The clauses with the SQLite search as the clause `matches` (see
    /// `LeadFilter::where_sql_matching`).
    pub fn sql_matching(&self, backend: Backend, first: usize, matches: &str) -> Where {
        live(self.filter.where_sql_matching(backend, self.me, self.now, first, Some(matches)))
    }
}

/// Leads merged into another are kept (soft delete) but belong to no list: every
/// board, export and count reads only the live ones. One place for the rule.
pub const LIVE: &str = " AND merged_into_id IS NULL";

fn live(mut w: Where) -> Where {
    w.sql.push_str(LIVE);
    w
}
