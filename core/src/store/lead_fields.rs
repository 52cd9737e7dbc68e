//! The lead form's fields: validation shared with the form, and the audited update.

use super::audit::{self, Change};
use super::leads::{LEAD_COLUMNS, Lead, get_in, validate_budget, validate_contact};
use super::{Actor, Db, Result, StoreError, now};
use crate::domain::contact;
use crate::domain::lead::{Interest, LeadSource, LeadType, Urgency, budget_estimate};
use crate::domain::permissions::Action;
use crate::with_tx;
use serde_json::json;

/// The fields of a lead a user edits in the detail form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFields {
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
    pub lead_type: LeadType,
    pub source: LeadSource,
    pub interested_in: Interest,
    pub budget_range: Option<String>,
    pub urgency: Option<Urgency>,
    pub message: Option<String>,
}

impl LeadFields {
    pub fn of(lead: &Lead) -> LeadFields {
        LeadFields {
            full_name: lead.full_name.clone(),
            email: lead.email.clone(),
            phone: lead.phone.clone(),
            whatsapp: lead.whatsapp.clone(),
            lead_type: LeadType::parse(&lead.lead_type).unwrap_or(LeadType::Other),
            source: LeadSource::parse(&lead.source).unwrap_or(LeadSource::Other),
            interested_in: Interest::parse(&lead.interested_in).unwrap_or(Interest::Other),
            budget_range: lead.budget_range.clone(),
            urgency: lead.urgency.as_deref().and_then(Urgency::parse),
            message: lead.message.clone(),
        }
    }

    /// Checks and normalises: a name, BR-05, the email/phone formats and the budget
    /// (at most `domain::lead::MAX_BUDGET`). Pure, so the form shows the same message
    /// the store would give before sending.
    pub fn validated(&self) -> Result<LeadFields> {
        use crate::domain::lead::{MAX_MESSAGE_CHARS, MAX_NAME_CHARS};
        let full_name = super::fields::required("name", &self.full_name, MAX_NAME_CHARS)?;
        if self.message.as_ref().is_some_and(|m| m.chars().count() > MAX_MESSAGE_CHARS) {
            return Err(StoreError::invalid("message", format!("is longer than {MAX_MESSAGE_CHARS} characters")));
        }
        let c = validate_contact(self.email.as_deref(), self.phone.as_deref(), self.whatsapp.as_deref())?;
        let (budget_range, _) = validate_budget(self.budget_range.as_deref())?;
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(contact::storable);
        Ok(LeadFields {
            full_name,
            email: c.email,
            phone: c.phone,
            whatsapp: c.whatsapp,
            budget_range,
            message: text(&self.message),
            ..self.clone()
        })
    }
}

/// Saves the edit form. Only changed fields reach the audit row.
pub async fn update_fields(db: &Db, actor: &Actor, id: i64, version: i64, fields: &LeadFields) -> Result<Lead> {
    actor.require(Action::EditLeads)?;
    let f = fields.validated()?;
    let mut tx = db.begin().await?;
    let before = get_in(&mut tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(&mut tx, "this lead", "lead", id).await);
    }
    let estimate = f.budget_range.as_deref().and_then(budget_estimate);
    let sql = format!(
        "UPDATE leads SET full_name = $3, email = $4, phone = $5, whatsapp = $6, lead_type = $7, source = $8, \
         interested_in = $9, budget_range = $10, budget_estimate = $11, urgency = $12, message = $13, \
         version = version + 1, updated_at = $14 WHERE id = $1 AND version = $2 RETURNING {LEAD_COLUMNS}"
    );
    let after: Option<Lead> = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql)
            .bind(id)
            .bind(version)
            .bind(&f.full_name)
            .bind(&f.email)
            .bind(&f.phone)
            .bind(&f.whatsapp)
            .bind(f.lead_type.as_str())
            .bind(f.source.as_str())
            .bind(f.interested_in.as_str())
            .bind(&f.budget_range)
            .bind(estimate)
            .bind(f.urgency.map(|u| u.as_str()))
            .bind(&f.message)
            .bind(now())
            .fetch_optional(&mut *c)
            .await?
    });
    let Some(after) = after else {
        return Err(audit::conflict(&mut tx, "this lead", "lead", id).await);
    };
    let snapshot = |l: &Lead| {
        json!({"id": l.id, "full_name": l.full_name, "email": l.email, "phone": l.phone, "whatsapp": l.whatsapp,
            "lead_type": l.lead_type, "source": l.source, "interested_in": l.interested_in,
            "budget_range": l.budget_range, "urgency": l.urgency, "message": l.message})
    };
    let change = Change::new("update", "lead", Some(id), format!("edited lead {}", after.full_name))
        .diff(&snapshot(&before), &snapshot(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}
