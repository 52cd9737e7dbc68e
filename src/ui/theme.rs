//! Named styles. A theme (`assets/themes/<name>.toml`, or `<name>.toml` in the
//! `themes/` folder beside the configuration file, chosen with config
//! `display.theme`) sets every style; config `[theme]` patches single colours on
//! top; `NO_COLOR` (any value) turns colour off and keeps only bold/reverse, so the
//! UI stays readable.

use crate::config::{Config, theme_names, theme_source};
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::str::FromStr;
use toml::Spanned;

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub base: Style,
    pub title: Style,
    pub selected: Style,
    pub dim: Style,
    pub alert: Style,
    pub ok: Style,
    pub key: Style,
    pub border: Style,
    pub error: Style,
}

/// A theme file: every style is required, so a theme never leaves one unset.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    base: StyleSpec,
    title: StyleSpec,
    selected: StyleSpec,
    dim: StyleSpec,
    alert: StyleSpec,
    ok: StyleSpec,
    key: StyleSpec,
    border: StyleSpec,
    error: StyleSpec,
}

/// `{ fg = "cyan", bg = "#202020", modifiers = ["bold"] }`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<Spanned<String>>,
    bg: Option<Spanned<String>>,
    #[serde(default)]
    modifiers: Vec<Spanned<String>>,
}

/// A theme file's text and name, to say where a value is wrong: `FILE:LINE: what`.
struct Source<'a> {
    file: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn at(&self, offset: usize) -> String {
        format!("{}:{}", self.file, crate::config::line_of(self.text, offset))
    }
}

/// The colours config `[theme]` may change (see `Theme::named` for what each sets).
const PATCHES: &[&str] = &["accent", "selected_bg", "dim", "alert", "ok", "border", "error"];

fn colour(what: &str, v: &str) -> Result<Color, String> {
    Color::from_str(v).map_err(|_| format!("{what}: '{v}' is not a colour"))
}

fn modifier(what: &str, name: &str) -> Result<Modifier, String> {
    Ok(match name {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" => Modifier::UNDERLINED,
        "reversed" => Modifier::REVERSED,
        "crossed_out" => Modifier::CROSSED_OUT,
        _ => {
            return Err(format!(
                "{what}: no such modifier '{name}' (bold, dim, italic, underlined, reversed, crossed_out)"
            ));
        }
    })
}

impl StyleSpec {
    fn style(&self, src: &Source, what: &str) -> Result<Style, String> {
        let mut s = Style::default();
        if let Some(fg) = &self.fg {
            s = s.fg(colour(&format!("{}: {what}.fg", src.at(fg.span().start)), fg.get_ref())?);
        }
        if let Some(bg) = &self.bg {
            s = s.bg(colour(&format!("{}: {what}.bg", src.at(bg.span().start)), bg.get_ref())?);
        }
        for m in &self.modifiers {
            s = s.add_modifier(modifier(&format!("{}: {what}.modifiers", src.at(m.span().start)), m.get_ref())?);
        }
        Ok(s)
    }
}

impl Theme {
    /// The theme of config `display.theme` (the user's file of that name when the
    /// configuration found one, else the built-in), patched by `[theme]`.
    pub fn from_config(config: &Config, no_color: bool) -> Result<Theme, String> {
        match &config.user_theme {
            Some(user) => Theme::build(&user.path.display().to_string(), &user.source, &config.theme, no_color),
            None => Theme::named(&config.display.theme, &config.theme, no_color),
        }
    }

    /// The built-in theme called `name` (one of `config::THEMES`), with the colours
    /// of `patch` (config `[theme]`: names like `cyan`, `#ff8800`, `245`) laid over
    /// it. With `no_color`, monochrome whatever the theme says.
    pub fn named(name: &str, patch: &BTreeMap<String, String>, no_color: bool) -> Result<Theme, String> {
        let source =
            theme_source(name).ok_or_else(|| format!("display.theme: no theme '{name}' (known: {})", theme_names()))?;
        Theme::build(&format!("assets/themes/{name}.toml"), source, patch, no_color)
    }

    /// The theme file `file` holding `source`, patched.
    fn build(file: &str, source: &str, patch: &BTreeMap<String, String>, no_color: bool) -> Result<Theme, String> {
        if let Some(key) = patch.keys().find(|k| !PATCHES.contains(&k.as_str())) {
            return Err(format!("theme.{key}: no such colour ({})", PATCHES.join(", ")));
        }
        // Checked even without colour: a broken file is said at once, not on the
        // day NO_COLOR is unset.
        let mut theme = Theme::parse(file, source)?;
        if no_color {
            return Ok(Theme::monochrome());
        }
        for (key, value) in patch {
            let c = colour(&format!("theme.{key}"), value)?;
            match key.as_str() {
                "accent" => {
                    theme.title.fg = Some(c);
                    theme.key.fg = Some(c);
                }
                "selected_bg" => theme.selected.bg = Some(c),
                "dim" => theme.dim.fg = Some(c),
                "alert" => theme.alert.fg = Some(c),
                "ok" => theme.ok.fg = Some(c),
                "border" => theme.border.fg = Some(c),
                _ => theme.error.fg = Some(c),
            }
        }
        Ok(theme)
    }

    /// A theme file's styles; errors name the file, the line and the style
    /// (`sea.toml:4: title.fg: 'blurple' is not a colour`).
    fn parse(file: &str, text: &str) -> Result<Theme, String> {
        let f: ThemeFile = toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => format!("{file}:{}: {}", crate::config::line_of(text, span.start), e.message()),
            None => format!("{file}: {}", e.message()),
        })?;
        let src = Source { file, text };
        let style = |what: &str, spec: &StyleSpec| spec.style(&src, what);
        Ok(Theme {
            base: style("base", &f.base)?,
            title: style("title", &f.title)?,
            selected: style("selected", &f.selected)?,
            dim: style("dim", &f.dim)?,
            alert: style("alert", &f.alert)?,
            ok: style("ok", &f.ok)?,
            key: style("key", &f.key)?,
            border: style("border", &f.border)?,
            error: style("error", &f.error)?,
        })
    }

    pub fn monochrome() -> Theme {
        let plain = Style::default();
        Theme {
            base: plain,
            title: plain.add_modifier(Modifier::BOLD),
            selected: plain.add_modifier(Modifier::REVERSED),
            dim: plain,
            alert: plain.add_modifier(Modifier::BOLD),
            ok: plain,
            key: plain.add_modifier(Modifier::BOLD),
            border: plain,
            error: plain.add_modifier(Modifier::BOLD),
        }
    }
}

impl Default for Theme {
    /// The dark theme, the default of `display.theme`.
    fn default() -> Self {
        Theme::named("dark", &BTreeMap::new(), false).unwrap_or_else(|_| Theme::monochrome())
    }
}

/// NO_COLOR is set (to anything non-empty), per no-color.org.
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::THEMES;

    fn all(t: &Theme) -> [Style; 9] {
        [t.base, t.title, t.selected, t.dim, t.alert, t.ok, t.key, t.border, t.error]
    }

    #[test]
    fn no_color_has_no_colours() {
        for (name, _) in THEMES {
            let t = Theme::named(name, &BTreeMap::new(), true).unwrap();
            assert_eq!(t, Theme::monochrome());
            for s in all(&t) {
                assert_eq!((s.fg, s.bg), (None, None));
            }
        }
        let patch = BTreeMap::from([("accent".to_string(), "#ff8800".to_string())]);
        assert_eq!(Theme::named("dark", &patch, true).unwrap(), Theme::monochrome(), "NO_COLOR wins over [theme]");
    }

    /// Every theme file parses, names every style (serde refuses a missing one) and
    /// colours all but `base`, which keeps the terminal's colours.
    #[test]
    fn every_theme_parses_and_sets_every_style() {
        for (name, source) in THEMES {
            let t = Theme::parse(&format!("assets/themes/{name}.toml"), source).unwrap_or_else(|e| panic!("{e}"));
            for (i, s) in all(&t).into_iter().enumerate().skip(1) {
                assert!(s.fg.is_some() || s.bg.is_some(), "{name}: style {i} has no colour");
            }
            let table: toml::Table = source.parse().unwrap();
            assert_eq!(table.len(), 9, "{name} sets exactly the nine styles");
            assert_eq!(Theme::named(name, &BTreeMap::new(), false).unwrap(), t);
        }
        assert_ne!(Theme::named("dark", &BTreeMap::new(), false), Theme::named("light", &BTreeMap::new(), false));
    }

    #[test]
    fn a_theme_file_without_a_style_is_refused() {
        let err = Theme::parse("assets/themes/x.toml", "base = {}\ntitle = { fg = \"cyan\" }\n").unwrap_err();
        assert!(err.contains("assets/themes/x.toml") && err.contains("selected"), "{err}");
        let full = THEMES[0].1.replace("\"bold\"", "\"blinky\"");
        assert!(Theme::parse("x.toml", &full).unwrap_err().contains("blinky"));
    }

    /// The dark theme is the theme that staffroom always had.
    #[test]
    fn dark_is_the_former_default() {
        let t = Theme::default();
        assert_eq!(t.title, Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD));
        assert_eq!(t.selected, Style::default().bg(Color::DarkGray).add_modifier(Modifier::BOLD));
        assert_eq!(t.dim, Style::default().fg(Color::Gray));
        assert_eq!(t.border, Style::default().fg(Color::DarkGray));
        assert_eq!(t.error, Style::default().fg(Color::Red).add_modifier(Modifier::BOLD));
        assert_eq!(t.base, Style::default());
    }

    #[test]
    fn config_theme_selects_and_patches() {
        let mut config = Config::defaults().unwrap();
        config.display.theme = "light".into();
        config.theme.insert("accent".into(), "#ff8800".into());
        let t = Theme::from_config(&config, false).unwrap();
        let light = Theme::named("light", &BTreeMap::new(), false).unwrap();
        assert_eq!(t.title.fg, Some(Color::Rgb(255, 136, 0)));
        assert_eq!(t.title.add_modifier, light.title.add_modifier, "a patch keeps the theme's modifiers");
        assert_eq!((t.selected, t.alert), (light.selected, light.alert), "unpatched styles are the theme's");
        let bad = BTreeMap::from([("accent".to_string(), "blurple".to_string())]);
        assert!(Theme::named("dark", &bad, false).unwrap_err().contains("blurple"));
        let typo = BTreeMap::from([("acent".to_string(), "cyan".to_string())]);
        assert!(Theme::named("dark", &typo, false).unwrap_err().contains("theme.acent"));
    }

    #[test]
    fn an_unknown_theme_is_refused_naming_the_known_ones() {
        for no_color in [false, true] {
            let err = Theme::named("solarized", &BTreeMap::new(), no_color).unwrap_err();
            assert!(err.contains("solarized") && err.contains("dark, light"), "{err}");
        }
    }

    /// A theme of the config directory's `themes/` is checked as a built-in one,
    /// its errors naming the file and the line.
    #[test]
    fn a_user_theme_is_used_and_checked_naming_its_file_and_line() {
        let dir = std::env::temp_dir().join(format!("staffroom-user-theme-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("themes")).unwrap();
        let file = dir.join("config.toml");
        std::fs::write(&file, "[display]\ntheme = \"sea\"\n").unwrap();
        let sea = THEMES[0].1.replace("title = { fg = \"cyan\"", "title = { fg = \"#005f87\"");
        let theme_file = dir.join("themes/sea.toml");
        std::fs::write(&theme_file, &sea).unwrap();
        let config = Config::load(Some(&file)).unwrap();
        assert_eq!(Theme::from_config(&config, false).unwrap().title.fg, Some(Color::Rgb(0, 0x5f, 0x87)));
        // A bad colour, and an unknown key, each named with the file and its line.
        let line = |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let bad = sea.replace("#005f87", "blurple");
        std::fs::write(&theme_file, &bad).unwrap();
        let err = Theme::from_config(&Config::load(Some(&file)).unwrap(), false).unwrap_err();
        let at = format!("{}:{}: title.fg: 'blurple' is not a colour", theme_file.display(), line(&bad, "blurple"));
        assert_eq!(err, at);
        let extra = format!("{sea}\nshadow = {{ fg = \"red\" }}\n");
        std::fs::write(&theme_file, &extra).unwrap();
        let err = Theme::from_config(&Config::load(Some(&file)).unwrap(), true).unwrap_err();
        let at = format!("{}:{}: ", theme_file.display(), line(&extra, "shadow"));
        assert!(err.starts_with(&at) && err.contains("shadow"), "checked under NO_COLOR too: {err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
