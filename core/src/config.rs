//! Configuration: the embedded default (config/default.toml) patched by the user's
//! file (only the keys it names), then by the environment and flags.

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The documented defaults, compiled in.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

/// The themes of `assets/themes/`, compiled in: `display.theme` names one (the UI
/// turns its TOML into styles, see `ui::theme`).
pub const THEMES: &[(&str, &str)] = &[
    ("dark", include_str!("../../assets/themes/dark.toml")),
    ("light", include_str!("../../assets/themes/light.toml")),
];

/// The TOML of the theme called `name`.
pub fn theme_source(name: &str) -> Option<&'static str> {
    THEMES.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// The known theme names, for messages: "dark, light".
pub fn theme_names() -> String {
    THEMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub database: DatabaseConfig,
    pub security: SecurityConfig,
    pub rules: RulesConfig,
    pub display: DisplayConfig,
    pub pipeline: PipelineConfig,
    pub moderation: ModerationConfig,
    pub audit: AuditConfig,
    /// `[keys.<context>] <action> = ["key", …]`: replaces those actions' keys.
    #[serde(default)]
    pub keys: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// `[theme] <colour name> = "cyan" | "#rrggbb" | "245"`.
    #[serde(default)]
    pub theme: BTreeMap<String, String>,
    /// Where the user's file set each key, for errors found after loading (the
    /// `[keys]` tables, `[theme]` colours).
    #[serde(skip)]
    pub origin: Origin,
    /// The file `display.theme` names in the themes folder, when it names one.
    #[serde(skip)]
    pub user_theme: Option<UserTheme>,
}

/// A theme of the `themes/` folder beside the configuration file, read at load (the
/// UI checks it as it checks the built-in ones, naming this path).
#[derive(Debug, Clone, PartialEq)]
pub struct UserTheme {
    pub path: PathBuf,
    pub source: String,
}

/// The user's configuration file and the line of each key path it sets
/// (`security.lockout_failures` → 3), so an error can say where to look.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Origin {
    file: Option<PathBuf>,
    lines: BTreeMap<String, usize>,
}

impl Origin {
    /// Key paths of `text` (tables by their header or first dotted key, values by
    /// the value) and their lines.
    fn read(file: &Path, text: &str) -> Origin {
        let mut lines = BTreeMap::new();
        // The text parsed already as a `toml::Table`; a failure here only loses lines.
        if let Ok(doc) = toml::de::DeTable::parse(text) {
            collect_lines(doc.get_ref(), text, "", &mut lines);
        }
        Origin { file: Some(file.to_path_buf()), lines }
    }

    /// `FILE:LINE` of `key_path` when the user's file sets it.
    pub fn locate(&self, key_path: &str) -> Option<String> {
        let file = self.file.as_ref()?;
        self.lines.get(key_path).map(|line| format!("{}:{line}", file.display()))
    }

    /// A configuration error: `FILE:LINE: message` when the message names a key
    /// path the user's file sets (`keys.pipeline.move_forward: …`, or either of two
    /// clashing bindings), else `invalid configuration: message`.
    pub fn place(&self, message: &str) -> String {
        let located = message
            .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
            .map(|word| word.trim_end_matches([':', ';', '.']))
            .find_map(|word| self.locate(word));
        match located {
            Some(at) => format!("{at}: {message}"),
            None => format!("invalid configuration: {message}"),
        }
    }

    fn error(&self, key_path: &str, message: impl std::fmt::Display) -> anyhow::Error {
        anyhow::anyhow!("{}", self.place(&format!("{key_path}: {message}")))
    }
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") }
}

fn collect_lines(table: &toml::de::DeTable<'_>, text: &str, prefix: &str, out: &mut BTreeMap<String, usize>) {
    for (key, value) in table.iter() {
        let path = join(prefix, key.get_ref());
        match value.get_ref() {
            toml::de::DeValue::Table(inner) => {
                out.entry(path.clone()).or_insert_with(|| line_of(text, key.span().start));
                collect_lines(inner, text, &path, out);
            }
            _ => {
                out.insert(path, line_of(text, value.span().start));
            }
        }
    }
}

/// What a key of a table whose keys are the user's own holds: `[keys.*]` contexts
/// of actions bound to lists of keys, stages' days, `[theme]` colours. Their names
/// are checked where they mean something (the keymap, `validate`, the theme).
fn open_table_value(parent: &str) -> Option<toml::Value> {
    match parent {
        "keys" => Some(toml::Value::Table(toml::Table::new())),
        "pipeline.rot_days" => Some(toml::Value::Integer(0)),
        "theme" => Some(toml::Value::String(String::new())),
        p if p.strip_prefix("keys.").is_some_and(|ctx| !ctx.contains('.')) => {
            Some(toml::Value::Array(vec![toml::Value::String(String::new())]))
        }
        _ => None,
    }
}

fn a_type(type_str: &str) -> String {
    let article = if type_str.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {type_str}")
}

/// Every key of the user's file is one the defaults have (or one of an open table),
/// holding the kind of value the default holds: a typo or a quoted number is named
/// with its line, where the merged table's deserialisation could name neither.
fn check_shape(user: &toml::Table, defaults: &toml::Table, prefix: &str, origin: &Origin) -> Result<()> {
    for (key, value) in user {
        let path = join(prefix, key);
        let expected = match open_table_value(prefix) {
            Some(sample) => sample,
            None => match defaults.get(key) {
                Some(v) => v.clone(),
                None => {
                    let known: Vec<&str> = defaults.keys().map(String::as_str).collect();
                    let within = if prefix.is_empty() { "the file".to_string() } else { format!("[{prefix}]") };
                    return Err(
                        origin.error(&path, format!("unknown key \"{key}\" ({within} has: {})", known.join(", ")))
                    );
                }
            },
        };
        check_value(value, &expected, &path, origin)?;
    }
    Ok(())
}

fn check_value(value: &toml::Value, expected: &toml::Value, path: &str, origin: &Origin) -> Result<()> {
    if value.type_str() != expected.type_str() {
        let shown = match value {
            toml::Value::Table(_) | toml::Value::Array(_) => String::new(),
            v => format!(" {v}"),
        };
        return Err(origin.error(
            path,
            format!("invalid type: {}{shown}, expected {}", value.type_str(), a_type(expected.type_str())),
        ));
    }
    match (value, expected) {
        (toml::Value::Table(u), toml::Value::Table(d)) => check_shape(u, d, path, origin),
        (toml::Value::Array(items), toml::Value::Array(sample)) => match sample.first() {
            Some(first) => items.iter().try_for_each(|item| check_value(item, first, path, origin)),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// A theme name that can be a file name (no separators, no `..`).
fn theme_file_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// `NAME.toml` of `dir` when `display.theme` names one there: a user's theme wins
/// over a built-in of the same name.
pub fn find_user_theme(dir: Option<&Path>, name: &str) -> Result<Option<UserTheme>> {
    let Some(dir) = dir.filter(|_| theme_file_name(name)) else { return Ok(None) };
    let path = dir.join(format!("{name}.toml"));
    match std::fs::read_to_string(&path) {
        Ok(source) => Ok(Some(UserTheme { path, source })),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => bail!("cannot read {}: {e}", path.display()),
    }
}

/// The theme names of `dir` (`*.toml`), for the message naming the known themes.
fn user_theme_names(dir: Option<&Path>) -> Vec<String> {
    let Some(entries) = dir.and_then(|d| std::fs::read_dir(d).ok()) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".toml").map(str::to_string))
        .filter(|n| theme_file_name(n))
        .collect();
    names.sort();
    names
}

/// The `themes/` folder beside the configuration file `config` (the config
/// directory's, or an explicit `--config FILE`'s own directory).
pub fn themes_dir(config: &Path) -> Option<PathBuf> {
    config.parent().map(|d| d.join("themes"))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    pub url: String,
    /// Statements slower than this are logged as warnings with their time.
    pub slow_query_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityConfig {
    pub lockout_failures: i64,
    pub lockout_window_minutes: i64,
    pub idle_lock_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    pub featured_testimonials_limit: i64,
    pub featured_case_studies_limit: i64,
    pub attendance_threshold_percent: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// Viewers read the whole audit trail (an auditor's account); otherwise none of it.
    pub viewers_read: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModerationConfig {
    /// Presets offered when rejecting an item (a typed reason always works).
    pub reject_reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// Presets offered when a lead is closed as lost (free text is always possible).
    pub lost_reasons: Vec<String>,
    /// Days a lead may sit in a stage before its card is marked as rotting.
    pub rot_days: BTreeMap<String, i64>,
    /// Where `E` on the board writes its CSV ("" = the directory staffroom runs in).
    pub export_dir: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisplayConfig {
    /// The office's zone, parsed once when the configuration loads: an unknown
    /// name is a configuration error naming this key.
    #[serde(with = "zone_name")]
    pub time_zone: chrono_tz::Tz,
    pub mouse: bool,
    /// A theme of `THEMES` (`assets/themes/<name>.toml`); `[theme]` patches it.
    pub theme: String,
    /// The region phone numbers without a country code are read in (`EG`, `US`;
    /// empty: none), checked when the configuration loads.
    pub phone_region: String,
}

/// `display.time_zone` as its IANA name in the file, a `Tz` in the program.
mod zone_name {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(tz: &chrono_tz::Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<chrono_tz::Tz, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map_err(|_| {
            serde::de::Error::custom(format!("display.time_zone: '{name}' is not a time zone (e.g. Africa/Cairo, UTC)"))
        })
    }
}

/// Where staffroom keeps its files.
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "staffroom")
}

/// The user's config file: `--config` if given, else `config.toml` in the config dir.
pub fn user_config_path(explicit: Option<&Path>) -> Option<PathBuf> {
    explicit.map(Path::to_path_buf).or_else(|| project_dirs().map(|d| d.config_dir().join("config.toml")))
}

/// The data directory (demo database, default database, autosaves), created on
/// demand and private (`files`).
pub fn data_dir() -> Result<PathBuf> {
    let dir = project_dirs()
        .map(|d| d.data_dir().to_path_buf())
        .context("cannot find a home directory for staffroom's data")?;
    crate::files::private_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// Where the logs go: the XDG state directory (`~/.local/state/staffroom`), or the
/// data directory where a system has none; created private (`files`).
pub fn log_dir() -> Result<PathBuf> {
    let Some(dir) = project_dirs().and_then(|d| d.state_dir().map(Path::to_path_buf)) else {
        return data_dir();
    };
    crate::files::private_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

impl Config {
    /// Defaults, patched by the user's file. An explicit `--config` that does not
    /// exist is an error; a missing default file is not. Themes are looked for in
    /// the `themes/` folder beside the file (`themes_dir`).
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let defaults: toml::Table = DEFAULT_TOML.parse().context("the embedded default config is invalid")?;
        let mut merged = defaults.clone();
        let mut origin = Origin::default();
        let path = user_config_path(explicit);
        if let Some(path) = &path {
            match std::fs::read_to_string(path) {
                Ok(text) => {
                    let user: toml::Table =
                        text.parse().with_context(|| format!("{} is not valid TOML", path.display()))?;
                    origin = Origin::read(path, &text);
                    check_shape(&user, &defaults, "", &origin)?;
                    patch(&mut merged, user);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {}
                Err(e) => bail!("cannot read {}: {e}", path.display()),
            }
        }
        // Kinds are right by now: what is left is a value out of range or a name
        // that means nothing (a time zone), named by the deserialiser.
        let mut config: Config = toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| anyhow::anyhow!("{}", origin.place(e.message())))?;
        let themes = path.as_deref().and_then(themes_dir);
        config.user_theme = find_user_theme(themes.as_deref(), &config.display.theme)?;
        if let Err((key, problem)) = config.problem(themes.as_deref()) {
            return Err(origin.error(&key, problem));
        }
        config.origin = origin;
        Ok(config)
    }

    /// The embedded defaults alone, without any user file (the demo data is shaped
    /// for them, e.g. which cards rot).
    pub fn defaults() -> Result<Config> {
        let config: Config = toml::from_str(DEFAULT_TOML).context("the embedded default config is invalid")?;
        if let Err((key, problem)) = config.problem(None) {
            bail!("invalid configuration: {key}: {problem}");
        }
        Ok(config)
    }

    /// The first value out of its range, as its key path and what is wrong.
    fn problem(&self, themes: Option<&Path>) -> Result<(), (String, String)> {
        let fail = |key: &str, why: String| Err((key.to_string(), why));
        if let Err(why) = crate::domain::contact::phone_region(&self.display.phone_region) {
            return fail("display.phone_region", why);
        }
        if self.security.lockout_failures < 1 {
            return fail("security.lockout_failures", "must be at least 1".into());
        }
        if self.security.lockout_window_minutes < 1 {
            return fail("security.lockout_window_minutes", "must be at least 1".into());
        }
        for stage in self.pipeline.rot_days.keys() {
            if crate::domain::lead::LeadStatus::parse(stage).is_none() {
                return fail(&format!("pipeline.rot_days.{stage}"), "no such stage".into());
            }
        }
        if self.rules.featured_testimonials_limit < 0 {
            return fail("rules.featured_testimonials_limit", "cannot be negative".into());
        }
        if self.rules.featured_case_studies_limit < 0 {
            return fail("rules.featured_case_studies_limit", "cannot be negative".into());
        }
        if self.rules.attendance_threshold_percent > 100 {
            return fail("rules.attendance_threshold_percent", "is a percentage (0-100)".into());
        }
        // The `[keys]` tables are checked where keys mean something: the terminal
        // package checks them right after loading (`cli::commands::load_config`).
        if self.user_theme.is_none() && theme_source(&self.display.theme).is_none() {
            let mut known: Vec<String> = THEMES.iter().map(|(n, _)| n.to_string()).collect();
            for name in user_theme_names(themes) {
                if !known.contains(&name) {
                    known.push(name);
                }
            }
            let looked = themes.map(|d| format!("; none in {}", d.display())).unwrap_or_default();
            return fail(
                "display.theme",
                format!("no theme '{}' (known: {}{looked})", self.display.theme, known.join(", ")),
            );
        }
        Ok(())
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

/// Lays `user` over `base`: tables merge key by key, any other value replaces.
pub fn patch(base: &mut toml::Table, user: toml::Table) {
    for (key, value) in user {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(u)) => patch(b, u),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let mut c =
            Config::load(Some(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../config/default.toml")))).unwrap();
        assert_eq!(c.security.lockout_failures, 5);
        assert_eq!(c.origin.locate("security.lockout_failures").map(|at| at.ends_with(":22")), Some(true));
        c.origin = Origin::default();
        assert_eq!(c.rules.featured_testimonials_limit, 6);
        assert_eq!(Config::defaults().unwrap(), c);
    }

    #[test]
    fn user_file_patches_only_what_it_names() {
        let dir = std::env::temp_dir().join(format!("staffroom-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        std::fs::write(&file, "[security]\nlockout_failures = 3\n").unwrap();
        let c = Config::load(Some(&file)).unwrap();
        assert_eq!(c.security.lockout_failures, 3);
        assert_eq!(c.security.lockout_window_minutes, 15, "untouched keys keep defaults");
        std::fs::write(&file, "[security]\nlockout_failure = 3\n").unwrap();
        let err = Config::load(Some(&file)).unwrap_err().to_string();
        assert!(err.contains("lockout_failure"), "a typo is named: {err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn display_theme_names_a_known_theme() {
        let dir = std::env::temp_dir().join(format!("staffroom-cfg-theme-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        assert_eq!(Config::defaults().unwrap().display.theme, "dark");
        std::fs::write(&file, "[display]\ntheme = \"light\"\n").unwrap();
        assert_eq!(Config::load(Some(&file)).unwrap().display.theme, "light");
        std::fs::write(&file, "[display]\ntheme = \"solarized\"\n").unwrap();
        let err = Config::load(Some(&file)).unwrap_err().to_string();
        assert!(err.contains("display.theme") && err.contains("solarized") && err.contains("dark, light"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A temporary directory of its own per test (tests run in parallel).
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("staffroom-cfg-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn load_err(file: &Path, text: &str) -> String {
        std::fs::write(file, text).unwrap();
        Config::load(Some(file)).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_file_the_line_and_the_key_path() {
        let dir = scratch("lines");
        let file = dir.join("config.toml");
        let at = |line: usize| format!("{}:{line}: ", file.display());
        // An unknown key, in a table and at the top.
        let err = load_err(&file, "[display]\nmouse = true\n\n[security]\nlockout_failure = 3\n");
        assert!(err.starts_with(&format!("{}security.lockout_failure: unknown key", at(5))), "{err}");
        assert!(err.contains("lockout_failures"), "the keys it could be: {err}");
        let err = load_err(&file, "\n[databse]\nurl = \"\"\n");
        assert!(err.starts_with(&format!("{}databse: unknown key", at(2))), "{err}");
        // A wrong type, also inside an open table and a list.
        let err = load_err(&file, "# mine\n\n[security]\nlockout_failures = \"x\"\n");
        assert_eq!(err, format!("{}security.lockout_failures: invalid type: string \"x\", expected an integer", at(4)));
        let err = load_err(&file, "[pipeline.rot_days]\nnew = \"2\"\n");
        assert!(err.starts_with(&format!("{}pipeline.rot_days.new: invalid type: string", at(2))), "{err}");
        let err = load_err(&file, "[pipeline]\nlost_reasons = [\"price\", 3]\n");
        assert!(err.starts_with(&format!("{}pipeline.lost_reasons: invalid type: integer 3", at(2))), "{err}");
        let err = load_err(&file, "[keys.pipeline]\nmove_forward = \"L\"\n");
        assert!(err.starts_with(&format!("{}keys.pipeline.move_forward: invalid type: string", at(2))), "{err}");
        // A value out of range, and one the deserialiser refuses.
        let err = load_err(&file, "[security]\nidle_lock_minutes = 5\nlockout_window_minutes = 0\n");
        assert_eq!(err, format!("{}security.lockout_window_minutes: must be at least 1", at(3)));
        let err = load_err(&file, "[display]\n\ntime_zone = \"Mars/Base\"\n");
        assert!(err.starts_with(&format!("{}display.time_zone: 'Mars/Base'", at(3))), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn themes_come_from_beside_the_configuration_file() {
        let dir = scratch("themes");
        let file = dir.join("config.toml");
        std::fs::create_dir_all(dir.join("themes")).unwrap();
        std::fs::write(dir.join("themes/sea.toml"), "base = {}\n").unwrap();
        std::fs::write(&file, "[display]\ntheme = \"sea\"\n").unwrap();
        let c = Config::load(Some(&file)).unwrap();
        let found = c.user_theme.as_ref().map(|t| (t.path.clone(), t.source.as_str()));
        assert_eq!(found, Some((dir.join("themes/sea.toml"), "base = {}\n")));
        // A user's file overrides a built-in name; a built-in without one is built in.
        std::fs::write(dir.join("themes/dark.toml"), "base = {}\n").unwrap();
        std::fs::write(&file, "[display]\ntheme = \"dark\"\n").unwrap();
        assert!(Config::load(Some(&file)).unwrap().user_theme.is_some());
        std::fs::write(&file, "[display]\ntheme = \"light\"\n").unwrap();
        assert!(Config::load(Some(&file)).unwrap().user_theme.is_none());
        // An unknown name lists the user's themes too and says where it looked.
        let err = load_err(&file, "[display]\ntheme = \"forest\"\n");
        assert!(err.starts_with(&format!("{}:2: display.theme: no theme 'forest'", file.display())), "{err}");
        assert!(err.contains("dark, light, sea") && err.contains(&dir.join("themes").display().to_string()), "{err}");
        // A name is never a path.
        let err = load_err(&file, "[display]\ntheme = \"../config\"\n");
        assert!(err.contains("no theme '../config'"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
