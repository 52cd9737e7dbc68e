//! What a package form holds (`PackageFields`), the names refusals give its fields,
//! and the checks every field passes before a package is written.

#[cfg(any(test, feature = "testing"))]
use crate::domain::money::Currency;
use crate::domain::money::{MAX_MINOR, Money};
use crate::domain::package::{self as rules, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, TargetAudience};
use crate::domain::{contact, slug};
use crate::store::{Result, StoreError};

/// The names `StoreError::Invalid::field` carries for each field of `PackageFields`,
/// so a form can move its focus to the field at fault. Also the field labels.
pub mod field {
    use crate::domain::money::Currency;

    pub const NAME: &str = "name";
    pub const SLUG: &str = "slug";
    pub const DESCRIPTION: &str = "description";
    pub const FEATURES: &str = "features";
    pub const DELIVERABLES: &str = "deliverables";
    pub const AUDIENCE: &str = "audience";
    pub const WEEKS: &str = "weeks";

    /// `price EGP`, `price USD`.
    pub fn price(currency: Currency) -> &'static str {
        match currency {
            Currency::Egp => "price EGP",
            Currency::Usd => "price USD",
        }
    }
}

/// The fields an admin edits. `validated` checks each one and names the one at
/// fault (`StoreError::Invalid { field, .. }` with a `field::*` name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFields {
    pub name: String,
    /// Empty: derived from the name (BR-02), with `-2`, `-3`… when that is taken.
    /// A slug typed here must be free, or it is refused.
    pub slug: String,
    pub description: Option<String>,
    pub features: Vec<String>,
    pub deliverables: Vec<String>,
    pub target_audience: TargetAudience,
    pub duration_weeks: Option<i64>,
    pub is_active: bool,
    /// At most one per currency; a currency left out has no price.
    pub prices: Vec<Money>,
}

impl Default for PackageFields {
    fn default() -> Self {
        PackageFields {
            name: String::new(),
            slug: String::new(),
            description: None,
            features: Vec::new(),
            deliverables: Vec::new(),
            target_audience: TargetAudience::Both,
            duration_weeks: None,
            is_active: true,
            prices: Vec::new(),
        }
    }
}

fn too_long(n: usize, max: usize) -> String {
    format!("is {n} characters long; the limit is {max}")
}

impl PackageFields {
    /// Checks and normalises every field (trimmed text, blank lists items dropped,
    /// prices sorted by currency). Pure, so the form shows the store's message
    /// before sending. The slug's uniqueness is checked by the store.
    pub fn validated(&self) -> Result<PackageFields> {
        let name = contact::clean(&self.name);
        if name.is_empty() {
            return Err(StoreError::invalid(field::NAME, "is needed"));
        }
        let n = name.chars().count();
        if n > MAX_NAME_CHARS {
            return Err(StoreError::invalid(field::NAME, too_long(n, MAX_NAME_CHARS)));
        }
        let typed_slug = self.slug.trim().to_string();
        if !typed_slug.is_empty() {
            if let Err(why) = slug::validate(&typed_slug) {
                return Err(StoreError::invalid(
                    field::SLUG,
                    format!("'{typed_slug}' is not a slug: {why}, e.g. {}", slug::slugify(&typed_slug)),
                ));
            }
            let n = typed_slug.chars().count();
            if n > MAX_NAME_CHARS {
                return Err(StoreError::invalid(field::SLUG, too_long(n, MAX_NAME_CHARS)));
            }
        }
        let description = self.description.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(contact::storable);
        if let Some(n) = description.as_ref().map(|d| d.chars().count()).filter(|n| *n > MAX_DESCRIPTION_CHARS) {
            return Err(StoreError::invalid(field::DESCRIPTION, too_long(n, MAX_DESCRIPTION_CHARS)));
        }
        let features = rules::check_list(&self.features).map_err(|why| StoreError::invalid(field::FEATURES, why))?;
        let deliverables =
            rules::check_list(&self.deliverables).map_err(|why| StoreError::invalid(field::DELIVERABLES, why))?;
        let duration_weeks =
            rules::check_weeks(self.duration_weeks).map_err(|why| StoreError::invalid(field::WEEKS, why))?;
        let mut prices = self.prices.clone();
        prices.sort();
        for (i, m) in prices.iter().enumerate() {
            let at = field::price(m.currency);
            if m.minor < 0 {
                return Err(StoreError::invalid(at, "cannot be negative"));
            }
            if m.minor > MAX_MINOR {
                return Err(StoreError::invalid(at, "is too large; the most is 999,999,999.99"));
            }
            if i > 0 && prices[i - 1].currency == m.currency {
                return Err(StoreError::invalid(at, "is given twice"));
            }
        }
        Ok(PackageFields {
            name,
            slug: typed_slug,
            description,
            features,
            deliverables,
            duration_weeks,
            prices,
            ..self.clone()
        })
    }
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
/// A price as typed in the form: blank is no price, anything else must parse
/// (`money::parse_minor`); a refusal names the price's field.
pub fn price_from_text(currency: Currency, text: &str) -> Result<Option<Money>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Money::parse(currency, text).map(Some).map_err(|e| StoreError::invalid(field::price(currency), e.to_string()))
}
