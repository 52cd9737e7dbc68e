//! Keys → actions, per context, from config. The `?` help overlay and the hint bar
//! are generated from this table, so they cannot drift from the real bindings.
//!
//! A user's `[keys.<context>]` table replaces the keys of the actions it names and
//! leaves every other binding alone, e.g. `[keys.global] quit = ["q", "ctrl-q"]`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::fmt;

/// Where a binding applies. Global bindings work on every screen unless the screen
/// binds the same key itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    List,
    Dashboard,
    Audit,
    Pipeline,
    Lead,
    Messages,
    /// Pick lists and yes/no questions.
    Popup,
    /// Every record screen (help requests, packages, …).
    Records,
    /// Forms.
    Form,
    /// The attendance grid.
    Attendance,
    /// The cohort calendar.
    Calendar,
    /// The moderation queue.
    Moderation,
    /// A screen's detail pane (records, moderation, messages, audit, a lead).
    Detail,
    /// A screen's own keys, by the name of its table in `config/default.toml`
    /// (`[keys.packages]`): a new screen needs no variant here.
    Area(&'static str),
}

impl Context {
    /// The shared contexts (each screen's own follow in `all`).
    pub const ALL: &'static [Context] = &[
        Context::Global,
        Context::List,
        Context::Dashboard,
        Context::Audit,
        Context::Pipeline,
        Context::Lead,
        Context::Messages,
        Context::Popup,
        Context::Form,
        Context::Records,
        Context::Attendance,
        Context::Calendar,
        Context::Moderation,
        Context::Detail,
    ];

    /// Every context a `[keys.<context>]` table may name: the fixed ones, and each
    /// screen's own, declared by being a table of the embedded default
    /// configuration (so a new screen's keys need no variant here).
    pub fn all() -> &'static [Context] {
        static ALL: std::sync::OnceLock<Vec<Context>> = std::sync::OnceLock::new();
        ALL.get_or_init(|| {
            let mut all = Context::ALL.to_vec();
            for name in default_table().into_keys() {
                if !all.iter().any(|c| c.name() == name) {
                    // Once per process, a few bytes per table: the names live as long
                    // as the contexts that carry them.
                    all.push(Context::Area(Box::leak(name.into_boxed_str())));
                }
            }
            all
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Dashboard => "dashboard",
            Context::Audit => "audit",
            Context::Pipeline => "pipeline",
            Context::Lead => "lead",
            Context::Messages => "messages",
            Context::Popup => "popup",
            Context::Form => "form",
            Context::Records => "records",
            Context::Attendance => "attendance",
            Context::Calendar => "calendar",
            Context::Area(name) => name,
            Context::Moderation => "moderation",
            Context::Detail => "detail",
        }
    }
}

staffroom_core::string_enum! {
    /// What a key can ask for. Config names actions by this text.
    Action {
        Quit => "quit",
        Help => "help",
        Palette => "palette",
        Back => "back",
        NextPane => "next_pane",
        PrevPane => "prev_pane",
        Refresh => "refresh",
        Suspend => "suspend",
        Up => "up",
        Down => "down",
        PageUp => "page_up",
        PageDown => "page_down",
        DetailUp => "detail_up",
        DetailDown => "detail_down",
        Sort => "sort",
        SortDirection => "sort_direction",
        Top => "top",
        Bottom => "bottom",
        Open => "open",
        Filter => "filter",
        Left => "left",
        Right => "right",
        MoveBack => "move_back",
        MoveForward => "move_forward",
        MoveTo => "move_to",
        Undo => "undo",
        ToggleClosed => "toggle_closed",
        Note => "note",
        FollowUp => "follow_up",
        AssignMe => "assign_me",
        Assign => "assign",
        Edit => "edit",
        NewLead => "new_lead",
        Links => "links",
        Merge => "merge",
        Convert => "convert",
        FilterMine => "filter_mine",
        FilterUnassigned => "filter_unassigned",
        FilterOverdue => "filter_overdue",
        FilterSource => "filter_source",
        FilterInterest => "filter_interest",
        FilterAge => "filter_age",
        ClearFilter => "clear_filter",
        Export => "export",
        InProgress => "in_progress",
        Resolve => "resolve",
        Yes => "yes",
        No => "no",
        NextField => "next_field",
        PrevField => "prev_field",
        ChoiceNext => "choice_next",
        ChoicePrev => "choice_prev",
        Submit => "submit",
        ClearField => "clear_field",
        Respond => "respond",
        CloseRecord => "close_record",
        New => "new",
        MoveUp => "move_up",
        MoveDown => "move_down",
        ToggleActive => "toggle_active",
        MarkPresent => "mark_present",
        MarkAbsent => "mark_absent",
        MarkLate => "mark_late",
        MarkExcused => "mark_excused",
        MarkAllPresent => "mark_all_present",
        ChooseCohort => "choose_cohort",
        MonthView => "month_view",
        WeekView => "week_view",
        AgendaView => "agenda_view",
        Today => "today",
        PrevPeriod => "prev_period",
        NextPeriod => "next_period",
        GoTo => "go_to",
        CancelSession => "cancel_session",
        MoveEarlier => "move_earlier",
        MoveLater => "move_later",
        ExportCalendar => "export_calendar",
        CohortStatus => "cohort_status",
        FilterCalendar => "filter_calendar",
        CellNote => "cell_note",
        CheckInOut => "check_in_out",
        SessionSummary => "session_summary",
        Approve => "approve",
        Reject => "reject",
        Waitlist => "waitlist",
        ToggleMark => "toggle_mark",
        Feature => "feature",
        SubmitPost => "submit_for_review",
        Publish => "publish",
        Archive => "archive",
        ToDraft => "to_draft",
        Revisions => "revisions",
        HideComment => "hide_comment",
        Promote => "promote",
        AddMedia => "add_media",
        AuditFilter => "filter_audit",
        History => "history",
        VerifyChain => "verify",
        ExportAudit => "export_audit",
        ResetPassword => "reset_password",
        UnlockAccount => "unlock_account",
        LoginHistory => "login_history",
        SetActive => "set_active",
    }
}

/// One key with its modifiers, as written in config: `q`, `?`, `ctrl-c`, `shift-left`,
/// `enter`, `esc`, `tab`, `backtab`, `up`, `pgdn`, `home`, `f1`, `space`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    code: KeyCodeOrd,
    mods: u8,
}

/// KeyCode subset that can be ordered and hashed for the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(u8),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pgup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("insert", KeyCode::Insert),
];

const CTRL: u8 = 1;
const ALT: u8 = 2;
const SHIFT: u8 = 4;

impl Key {
    /// The key of a terminal event. Shift is folded into characters (`H`, `?`).
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let mut mods = 0;
        if ev.modifiers.contains(KeyModifiers::CONTROL) {
            mods |= CTRL;
        }
        if ev.modifiers.contains(KeyModifiers::ALT) {
            mods |= ALT;
        }
        let code = match ev.code {
            KeyCode::Char(' ') => KeyCodeOrd::Named(255),
            KeyCode::Char(c) => KeyCodeOrd::Char(if mods & CTRL != 0 { c.to_ascii_lowercase() } else { c }),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            // Terminals send shift-Tab as BackTab with SHIFT set (crossterm): the
            // shift is in the key itself, as for `H`, so `backtab` matches it.
            KeyCode::BackTab => KeyCodeOrd::Named(NAMED.iter().position(|(_, k)| *k == KeyCode::BackTab)? as u8),
            other => {
                if ev.modifiers.contains(KeyModifiers::SHIFT) {
                    mods |= SHIFT;
                }
                KeyCodeOrd::Named(NAMED.iter().position(|(_, k)| *k == other)? as u8)
            }
        };
        Some(Key { code, mods })
    }

    pub fn parse(text: &str) -> Result<Key, String> {
        let mut mods = 0;
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                mods |= CTRL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                mods |= ALT;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("shift-").filter(|r| r.chars().count() > 1) {
                mods |= SHIFT;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCodeOrd::Char(if mods & CTRL != 0 { c.to_ascii_lowercase() } else { c }),
            _ if rest == "space" => KeyCodeOrd::Named(255),
            _ if rest.starts_with('f') && rest[1..].parse::<u8>().is_ok() => {
                KeyCodeOrd::F(rest[1..].parse().unwrap_or(1))
            }
            _ => match NAMED.iter().position(|(n, _)| *n == rest) {
                Some(i) => KeyCodeOrd::Named(i as u8),
                None => return Err(format!("'{text}' is not a key (try q, ctrl-c, enter, shift-left, f1)")),
            },
        };
        Ok(Key { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods & CTRL != 0 {
            f.write_str("ctrl-")?;
        }
        if self.mods & ALT != 0 {
            f.write_str("alt-")?;
        }
        if self.mods & SHIFT != 0 {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::F(n) => write!(f, "f{n}"),
            KeyCodeOrd::Named(255) => f.write_str("space"),
            KeyCodeOrd::Named(i) => f.write_str(NAMED.get(i as usize).map_or("?", |(n, _)| n)),
        }
    }
}

/// The bindings in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    /// (context, action) -> keys, in the order they are shown.
    bindings: BTreeMap<(Context, Action), Vec<Key>>,
}

/// The default bindings, written out as data in `config/default.toml` (`[keys.*]`),
/// the same file the configuration starts from.
const DEFAULT_CONFIG: &str = include_str!("../../config/default.toml");

/// `[keys]` of the embedded default configuration.
fn default_table() -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    #[derive(serde::Deserialize)]
    struct Keys {
        keys: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    }
    // The embedded file is covered by tests (`defaults_are_the_config_file`): it
    // parses, every key in it is a key and every action an action.
    toml::from_str::<Keys>(DEFAULT_CONFIG).map(|k| k.keys).unwrap_or_default()
}

/// The default bindings and the clashes they make on purpose, built once per
/// process: every launch reads them (the config check, then the app's settings),
/// and parsing the embedded file each time cost a visible part of the first frame.
struct Defaults {
    table: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    map: Keymap,
    clashes: Vec<Clash>,
}

/// Two bindings one key press would choose between, and the key.
type Clash = ((Context, Action), (Context, Action), Key);

fn defaults() -> &'static Defaults {
    static DEFAULTS: std::sync::OnceLock<Defaults> = std::sync::OnceLock::new();
    DEFAULTS.get_or_init(|| {
        let table = default_table();
        let mut map = Keymap { bindings: BTreeMap::new() };
        // Errors are impossible for the embedded table (see the test); a bad entry
        // would only drop that binding.
        let _ = map.apply(&table);
        let clashes = map.clashes();
        Defaults { table, map, clashes }
    })
}

impl Default for Keymap {
    fn default() -> Self {
        defaults().map.clone()
    }
}

impl Keymap {
    /// Defaults patched by `[keys.<context>] <action> = ["key", …]` from config.
    pub fn from_config(user: &BTreeMap<String, BTreeMap<String, Vec<String>>>) -> Result<Keymap, String> {
        // The configuration's `[keys]` start as the defaults: unchanged, there is
        // nothing to apply or check (most launches; the check below is quadratic).
        if *user == defaults().table {
            return Ok(Keymap::default());
        }
        let mut map = Keymap::default();
        map.apply(user)?;
        // A key the user bound that already does something else where it is
        // pressed (the same context, or global keys under a screen's) would
        // silently lose one of the two. The defaults' own deliberate overlays
        // (`q` closes a popup) stay allowed.
        let defaults = &defaults().clashes;
        for (bound, other, key) in map.clashes() {
            let named = |(c, a): (Context, Action)| user.get(c.name()).is_some_and(|t| t.contains_key(a.as_str()));
            if (named(bound) || named(other)) && !defaults.contains(&(bound, other, key)) {
                let name = |(c, a): (Context, Action)| format!("keys.{}.{}", c.name(), a.as_str());
                return Err(format!(
                    "{} and {} both use \"{key}\"; a key does one thing there: change one of them",
                    name(other),
                    name(bound)
                ));
            }
        }
        Ok(map)
    }

    /// Pairs of bindings one key press would choose between: two actions of one
    /// context, or a global action and a screen context's.
    #[allow(clippy::type_complexity)]
    fn clashes(&self) -> Vec<Clash> {
        let mut out = Vec::new();
        let all: Vec<(&(Context, Action), &Vec<Key>)> = self.bindings.iter().collect();
        for (i, (a, keys_a)) in all.iter().enumerate() {
            for (b, keys_b) in &all[i + 1..] {
                let reach = a.0 == b.0 || a.0 == Context::Global || b.0 == Context::Global;
                if !reach || a.1 == b.1 {
                    continue;
                }
                if let Some(k) = keys_a.iter().find(|k| keys_b.contains(k)) {
                    out.push((**a, **b, *k));
                }
            }
        }
        out
    }

    /// Sets the keys of each action named in `table`.
    fn apply(&mut self, table: &BTreeMap<String, BTreeMap<String, Vec<String>>>) -> Result<(), String> {
        for (ctx_name, actions) in table {
            let all = Context::all();
            let ctx = all.iter().copied().find(|c| c.name() == ctx_name).ok_or_else(|| {
                format!(
                    "keys.{ctx_name}: no such key context ({})",
                    all.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
                )
            })?;
            for (action_name, keys) in actions {
                let action = Action::parse(action_name)
                    .ok_or_else(|| format!("keys.{ctx_name}.{action_name}: no such action"))?;
                let keys = keys
                    .iter()
                    .map(|k| Key::parse(k))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("keys.{ctx_name}.{action_name}: {e}"))?;
                self.bindings.insert((ctx, action), keys);
            }
        }
        Ok(())
    }

    /// The action of `key` in the first of `contexts` that binds it (screen contexts
    /// first, then global).
    pub fn action(&self, contexts: &[Context], key: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(key)?;
        contexts.iter().chain(std::iter::once(&Context::Global)).find_map(|ctx| {
            self.bindings.iter().find(|((c, _), keys)| c == ctx && keys.contains(&key)).map(|((_, a), _)| *a)
        })
    }

    /// Bindings of one context, for help.
    pub fn bindings(&self, ctx: Context) -> Vec<(Action, Vec<Key>)> {
        self.bindings.iter().filter(|((c, _), _)| *c == ctx).map(|((_, a), k)| (*a, k.clone())).collect()
    }

    /// The first key of an action, for the hint bar ("? help").
    pub fn first_key(&self, contexts: &[Context], action: Action) -> Option<Key> {
        contexts
            .iter()
            .chain(std::iter::once(&Context::Global))
            .find_map(|c| self.bindings.get(&(*c, action)).and_then(|k| k.first().copied()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn defaults_are_the_config_file() {
        let table = default_table();
        assert!(table.len() >= 10, "every context is written out");
        let mut fresh = Keymap { bindings: BTreeMap::new() };
        fresh.apply(&table).expect("every context, action and key in config/default.toml is real");
        assert_eq!(fresh, Keymap::default());
        for keys in table.values().flat_map(|a| a.values()) {
            for k in keys {
                assert_eq!(Key::parse(k).unwrap().to_string(), *k, "keys are written as they are shown");
            }
        }
        let m = Keymap::default();
        assert_eq!(
            m.action(&[Context::Pipeline], &ev(KeyCode::Char('L'), KeyModifiers::SHIFT)),
            Some(Action::MoveForward)
        );
        assert_eq!(m.action(&[Context::Form], &ev(KeyCode::Char('s'), KeyModifiers::CONTROL)), Some(Action::Submit));
    }

    #[test]
    fn events_map_to_actions() {
        let m = Keymap::default();
        let list = [Context::List];
        assert_eq!(m.action(&list, &ev(KeyCode::Char('j'), KeyModifiers::NONE)), Some(Action::Down));
        assert_eq!(m.action(&list, &ev(KeyCode::Down, KeyModifiers::NONE)), Some(Action::Down));
        assert_eq!(m.action(&list, &ev(KeyCode::Char('?'), KeyModifiers::SHIFT)), Some(Action::Help));
        assert_eq!(m.action(&list, &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Bottom));
        assert_eq!(m.action(&list, &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(m.action(&[], &ev(KeyCode::Char('j'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn config_patches_only_named_actions() {
        let mut user = BTreeMap::new();
        user.insert("global".to_string(), BTreeMap::from([("quit".to_string(), vec!["ctrl-q".to_string()])]));
        let m = Keymap::from_config(&user).unwrap();
        assert_eq!(m.action(&[], &ev(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        assert_eq!(m.action(&[], &ev(KeyCode::Char('q'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(m.action(&[], &ev(KeyCode::Char('?'), KeyModifiers::NONE)), Some(Action::Help));
        user.insert("global".to_string(), BTreeMap::from([("fly".to_string(), vec!["x".to_string()])]));
        assert!(Keymap::from_config(&user).unwrap_err().contains("no such action"));
    }

    #[test]
    fn a_key_bound_twice_where_it_is_pressed_is_a_config_error_naming_both() {
        let pipeline = |keys: &[&str]| {
            BTreeMap::from([(
                "pipeline".to_string(),
                BTreeMap::from([("move_forward".to_string(), keys.iter().map(|k| k.to_string()).collect())]),
            )])
        };
        let err = Keymap::from_config(&pipeline(&["q"])).unwrap_err();
        assert!(err.contains("keys.global.quit") && err.contains("keys.pipeline.move_forward"), "{err}");
        assert!(err.contains("\"q\""), "{err}");
        // Two actions of one context.
        let err = Keymap::from_config(&pipeline(&["m"])).unwrap_err();
        assert!(err.contains("keys.pipeline.move_to") && err.contains("keys.pipeline.move_forward"), "{err}");
        // A free key is fine, and so are the defaults' own overlays.
        assert!(Keymap::from_config(&pipeline(&["ctrl-l"])).is_ok());
        assert!(Keymap::from_config(&BTreeMap::new()).is_ok());
    }
}
