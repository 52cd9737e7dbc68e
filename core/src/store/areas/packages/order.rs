//! The display order: `J`/`K` swap a package with its neighbour in one transaction.

use super::*;

/// Which way `reorder` moves a package in the display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Towards the top (`K`): before its previous neighbour.
    Up,
    /// Towards the bottom (`J`): after its next neighbour.
    Down,
}

#[derive(sqlx::FromRow)]
struct Slot {
    id: i64,
    name: String,
    display_order: i64,
}

/// Moves a package one step up or down the display order of all packages (active
/// and inactive: the order is one list) by swapping its `display_order` with its
/// neighbour's, in one transaction, with an audit row for each. The place in the
/// list is not the package's content: neither row gets a new version or
/// `updated_at`, so an edit open meanwhile still saves and the move needs no listed
/// version (`J` pressed twice quickly moves twice). The first package cannot move
/// up nor the last down. Equal display orders (left by an import) are first
/// renumbered 1, 2, 3… in the current order, audited.
pub async fn reorder(db: &Db, actor: &Actor, id: i64, _version: i64, direction: Direction) -> Result<Package> {
    actor.require(Action::ManageSettings)?;
    let mut tx = db.begin().await?;
    // One reorder at a time (PostgreSQL): the no-op UPDATE locks every row, so the
    // order read next is the one the swap changes.
    with_tx!(&mut tx, c => {
        sqlx::query("UPDATE service_packages SET display_order = display_order").execute(&mut *c).await?.rows_affected()
    });
    let before = get_in(&mut tx, id).await?;
    let Some(mut other) = neighbour(&mut tx, before.display_order, id, direction).await? else {
        let edge = if direction == Direction::Up { "first" } else { "last" };
        return Err(StoreError::refused(format!("service package {} is already {edge}", before.name)));
    };
    let mut mine = before.display_order;
    if other.display_order == mine {
        renumber(&mut tx, actor).await?;
        mine = order_of(&mut tx, id).await?;
        other.display_order = order_of(&mut tx, other.id).await?;
    }
    // Each UPDATE is guarded by the place it expects, so a move that somehow met
    // another turns into a conflict instead of two packages on one place.
    let guarded = [
        (id, other.display_order, mine, "this service package"),
        (other.id, mine, other.display_order, "the service package next to it"),
    ];
    for (row, order, expected, what) in guarded {
        let sql = "UPDATE service_packages SET display_order = $2 WHERE id = $1 AND display_order = $3";
        let n = with_tx!(&mut tx, c => {
            sqlx::query(sql).bind(row).bind(order).bind(expected).execute(&mut *c).await?.rows_affected()
        });
        if n == 0 {
            return Err(audit::conflict(&mut tx, what, "service_package", row).await);
        }
    }
    let (word, other_word) =
        if direction == Direction::Up { ("up, above", "down, below") } else { ("down, below", "up, above") };
    let moves = [
        (id, &before.name, &other.name, word, mine, other.display_order),
        (other.id, &other.name, &before.name, other_word, other.display_order, mine),
    ];
    for (row, name, next_to, how, from, to) in moves {
        let change = Change::new(
            "reorder",
            "service_package",
            Some(row),
            format!("moved service package {name} {how} {next_to}"),
        )
        .diff(&json!({"id": row, "display_order": from}), &json!({"id": row, "display_order": to}));
        audit::record(&mut tx, actor, change).await?;
    }
    let after = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

/// The package just before (`Up`) or after (`Down`) `(order, id)` in the display order.
async fn neighbour(tx: &mut Tx, order: i64, id: i64, direction: Direction) -> Result<Option<Slot>> {
    let sql = match direction {
        Direction::Up => {
            "SELECT id, name, display_order FROM service_packages WHERE (display_order, id) < ($1, $2) \
             ORDER BY display_order DESC, id DESC LIMIT 1"
        }
        Direction::Down => {
            "SELECT id, name, display_order FROM service_packages WHERE (display_order, id) > ($1, $2) \
             ORDER BY display_order, id LIMIT 1"
        }
    };
    Ok(with_tx!(tx, c => sqlx::query_as::<_, Slot>(sql).bind(order).bind(id).fetch_optional(&mut *c).await?))
}

async fn order_of(tx: &mut Tx, id: i64) -> Result<i64> {
    Ok(with_tx!(tx, c => {
        sqlx::query_scalar("SELECT display_order FROM service_packages WHERE id = $1").bind(id).fetch_one(&mut *c).await?
    }))
}

/// Gives every package a distinct display order 1, 2, 3… in the current order.
async fn renumber(tx: &mut Tx, actor: &Actor) -> Result<()> {
    let slots: Vec<Slot> = with_tx!(tx, c => {
        sqlx::query_as("SELECT id, name, display_order FROM service_packages ORDER BY display_order, id")
            .fetch_all(&mut *c)
            .await?
    });
    let mut old = Map::new();
    let mut new = Map::new();
    for (i, s) in slots.iter().enumerate() {
        let order = i as i64 + 1;
        if s.display_order != order {
            with_tx!(tx, c => {
                sqlx::query("UPDATE service_packages SET display_order = $2 WHERE id = $1")
                    .bind(s.id)
                    .bind(order)
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
            });
            old.insert(s.id.to_string(), json!(s.display_order));
            new.insert(s.id.to_string(), json!(order));
        }
    }
    let summary = format!("renumbered the display order of {} service packages", new.len());
    let mut change = Change::new("reorder", "service_package", None, summary);
    change.old = Some(Value::Object(old));
    change.new = Some(Value::Object(new));
    audit::record(tx, actor, change).await?;
    Ok(())
}
