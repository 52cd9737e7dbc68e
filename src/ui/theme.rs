//! Named styles. Colours come from config `[theme]`; `NO_COLOR` (any value) turns
//! colour off and keeps only bold/reverse, so the UI stays readable.

use ratatui::style::{Color, Modifier, Style};
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

impl Theme {
    /// The colours of config `[theme]` (names like `cyan`, `#ff8800`, `245`).
    pub fn from_config(colors: &BTreeMap<String, String>, no_color: bool) -> Result<Theme, String> {
        if no_color {
            return Ok(Theme::monochrome());
        }
        let color = |name: &str, default: Color| -> Result<Color, String> {
            match colors.get(name) {
                Some(v) => Color::from_str(v).map_err(|_| format!("theme.{name}: '{v}' is not a colour")),
                None => Ok(default),
            }
        };
        for name in colors.keys() {
            if !["accent", "selected_bg", "dim", "alert", "ok", "border", "error"].contains(&name.as_str()) {
                return Err(format!(
                    "theme.{name}: no such colour (accent, selected_bg, dim, alert, ok, border, error)"
                ));
            }
        }
        let accent = color("accent", Color::Cyan)?;
        Ok(Theme {
            base: Style::default(),
            title: Style::default().fg(accent).add_modifier(Modifier::BOLD),
            selected: Style::default().bg(color("selected_bg", Color::DarkGray)?).add_modifier(Modifier::BOLD),
            dim: Style::default().fg(color("dim", Color::Gray)?),
            alert: Style::default().fg(color("alert", Color::Yellow)?),
            ok: Style::default().fg(color("ok", Color::Green)?),
            key: Style::default().fg(accent).add_modifier(Modifier::BOLD),
            border: Style::default().fg(color("border", Color::DarkGray)?),
            error: Style::default().fg(color("error", Color::Red)?).add_modifier(Modifier::BOLD),
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
    fn default() -> Self {
        Theme::from_config(&BTreeMap::new(), false).unwrap_or_else(|_| Theme::monochrome())
    }
}

/// NO_COLOR is set (to anything non-empty), per no-color.org.
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_has_no_colours() {
        let t = Theme::from_config(&BTreeMap::new(), true).unwrap();
        for s in [t.base, t.title, t.selected, t.dim, t.alert, t.ok, t.key, t.border, t.error] {
            assert_eq!((s.fg, s.bg), (None, None));
        }
    }

    #[test]
    fn config_colours() {
        let c = BTreeMap::from([("accent".to_string(), "#ff8800".to_string())]);
        assert_eq!(Theme::from_config(&c, false).unwrap().title.fg, Some(Color::Rgb(255, 136, 0)));
        let bad = BTreeMap::from([("accent".to_string(), "blurple".to_string())]);
        assert!(Theme::from_config(&bad, false).is_err());
    }
}
