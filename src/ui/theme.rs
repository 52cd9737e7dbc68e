//! Named styles. A theme (`assets/themes/<name>.toml`, chosen with config
//! `display.theme`) sets every style; config `[theme]` patches single colours on
//! top; `NO_COLOR` (any value) turns colour off and keeps only bold/reverse, so the
//! UI stays readable.

use crate::config::{Config, theme_names, theme_source};
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::str::FromStr;

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
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    modifiers: Vec<String>,
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
    fn style(&self, what: &str) -> Result<Style, String> {
        let mut s = Style::default();
        if let Some(fg) = &self.fg {
            s = s.fg(colour(&format!("{what}.fg"), fg)?);
        }
        if let Some(bg) = &self.bg {
            s = s.bg(colour(&format!("{what}.bg"), bg)?);
        }
        for m in &self.modifiers {
            s = s.add_modifier(modifier(&format!("{what}.modifiers"), m)?);
        }
        Ok(s)
    }
}

impl Theme {
    /// The theme of config `display.theme`, patched by `[theme]`.
    pub fn from_config(config: &Config, no_color: bool) -> Result<Theme, String> {
        Theme::named(&config.display.theme, &config.theme, no_color)
    }

    /// The theme called `name` (one of `config::THEMES`), with the colours of
    /// `patch` (config `[theme]`: names like `cyan`, `#ff8800`, `245`) laid over it.
    /// With `no_color`, monochrome whatever the theme says.
    pub fn named(name: &str, patch: &BTreeMap<String, String>, no_color: bool) -> Result<Theme, String> {
        let source =
            theme_source(name).ok_or_else(|| format!("display.theme: no theme '{name}' (known: {})", theme_names()))?;
        if let Some(key) = patch.keys().find(|k| !PATCHES.contains(&k.as_str())) {
            return Err(format!("theme.{key}: no such colour ({})", PATCHES.join(", ")));
        }
        if no_color {
            return Ok(Theme::monochrome());
        }
        let mut theme = Theme::parse(name, source)?;
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

    /// A theme file's styles; errors name the file and the style.
    fn parse(name: &str, source: &str) -> Result<Theme, String> {
        let file = format!("assets/themes/{name}.toml");
        let f: ThemeFile = toml::from_str(source).map_err(|e| format!("{file}: {}", e.message()))?;
        let style = |what: &str, spec: &StyleSpec| spec.style(&format!("{file}: {what}"));
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
            let t = Theme::parse(name, source).unwrap_or_else(|e| panic!("{e}"));
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
        let err = Theme::parse("x", "base = {}\ntitle = { fg = \"cyan\" }\n").unwrap_err();
        assert!(err.contains("assets/themes/x.toml") && err.contains("selected"), "{err}");
        let full = THEMES[0].1.replace("\"bold\"", "\"blinky\"");
        assert!(Theme::parse("x", &full).unwrap_err().contains("blinky"));
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
}
