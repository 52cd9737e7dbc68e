//! Keyset pagination: a page is "the next `limit` rows after this key", never an
//! OFFSET, so page 2,000 of the audit log costs what page 1 costs.

/// One page of rows and the key to pass for the next page (`None`: last page).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T, K> {
    pub rows: Vec<T>,
    pub next: Option<K>,
}

/// Page size bounds: a screen never asks for more than this in one query.
pub const MAX_PAGE: i64 = 500;

/// Clamps a requested page size to 1..=MAX_PAGE.
pub fn limit(requested: i64) -> i64 {
    requested.clamp(1, MAX_PAGE)
}

/// Builds a page from a query that fetched `limit + 1` rows: the extra row only says
/// that another page exists, and the key comes from the last row kept.
pub fn from_rows<T, K>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> K) -> Page<T, K> {
    let limit = usize::try_from(limit).unwrap_or(0);
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more { rows.last().map(key) } else { None };
    Page { rows, next }
}

/// Numbers a query's placeholders in the order they are written: `$1`, `$2`, …
#[derive(Debug, Default)]
pub struct Args(usize);

impl Args {
    pub fn arg(&mut self) -> String {
        self.0 += 1;
        format!("${}", self.0)
    }
}

/// ` AND (LOWER(a) LIKE $p ESCAPE '\' OR …)`: a `contains_pattern` over columns.
pub fn any_like(columns: &[&str], p: &str) -> String {
    let each: Vec<String> = columns.iter().map(|c| format!("LOWER({c}) LIKE {p} ESCAPE '\\'")).collect();
    format!(" AND ({})", each.join(" OR "))
}

/// The LIKE pattern for "contains `search`", lower-cased, with `%`, `_` and `\`
/// escaped so they match themselves: compare it as `LOWER(col) LIKE $n ESCAPE '\'`
/// (the same text on both backends). `None` when the search is blank.
/// SQLite's LOWER folds only ASCII letters, so there a search for `é` does not match
/// `É`; Arabic has no case and is unaffected.
pub fn contains_pattern(search: &str) -> Option<String> {
    let search = search.trim().to_lowercase();
    if search.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(search.len() + 2);
    out.push('%');
    for c in search.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    Some(out)
}

/// Rows of `table` per stored status, by status: a record screen's tab counts.
pub async fn tab_counts(db: &super::Db, table: &'static str) -> super::Result<Vec<(String, i64)>> {
    let sql = format!("SELECT status, COUNT(*) FROM {table} GROUP BY status ORDER BY status");
    Ok(crate::with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?))
}

/// A list read in keyset order, (key, id): its `SELECT … FROM … alias` text, the
/// columns of its order, its status column and the columns a search looks in.
pub struct List<'a, R, K> {
    pub select: &'a str,
    /// The order's first column (`e.starts_at`, `display_order`).
    pub key: &'static str,
    /// The id column (`e.id`): it breaks ties in `key`.
    pub id: &'static str,
    /// Latest first (the dated lists), else ascending (the display orders).
    pub descending: bool,
    /// The status column (`e.status`).
    pub status: &'static str,
    /// Searched for a case-insensitive substring (any of them).
    pub searched: &'static [&'static str],
    /// A row's (key, id), where the next page starts.
    pub key_of: fn(&R) -> (K, i64),
}

/// A condition a list adds to its tab and search, as ` AND …` text.
pub enum Filter<'a> {
    /// Without a placeholder (` AND p.publish_at IS NOT NULL`).
    Fixed(&'static str),
    /// Written around its one placeholder, and the text bound there.
    Bound(fn(&str) -> String, &'a str),
}

/// One keyset page of `list`: in `status` (`None`: all), matching `search` and every
/// filter, after `after`. The one query the record screens' lists share, so tabs,
/// search and paging read the same everywhere.
pub async fn list_page<R, K>(
    db: &super::Db,
    list: &List<'_, R, K>,
    status: Option<&str>,
    search: Option<&str>,
    filters: &[Filter<'_>],
    after: Option<(K, i64)>,
    limit: i64,
) -> super::Result<Page<R, (K, i64)>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
    K: for<'q> sqlx::Encode<'q, sqlx::Sqlite>
        + sqlx::Type<sqlx::Sqlite>
        + for<'q> sqlx::Encode<'q, sqlx::Postgres>
        + sqlx::Type<sqlx::Postgres>
        + Copy
        + Send
        + 'static,
{
    let limit = self::limit(limit);
    let pattern = search.and_then(contains_pattern);
    let mut args = Args::default();
    let mut sql = format!("{} WHERE 1 = 1", list.select);
    if status.is_some() {
        sql += &format!(" AND {} = {}", list.status, args.arg());
    }
    if pattern.is_some() {
        sql += &any_like(list.searched, &args.arg());
    }
    for filter in filters {
        sql += &match filter {
            Filter::Fixed(condition) => condition.to_string(),
            Filter::Bound(condition, _) => condition(&args.arg()),
        };
    }
    // A row value compares (key, id) as one: the next page starts just past the
    // last row kept, whichever way the list runs.
    let (before_or_after, direction) = if list.descending { ("<", " DESC") } else { (">", "") };
    if after.is_some() {
        sql += &format!(" AND ({}, {}) {before_or_after} ({}, {})", list.key, list.id, args.arg(), args.arg());
    }
    sql += &format!(" ORDER BY {}{direction}, {}{direction} LIMIT {}", list.key, list.id, args.arg());
    let rows = crate::with_db!(db, p => {
        let mut q = sqlx::query_as::<_, R>(&sql);
        if let Some(s) = status {
            q = q.bind(s);
        }
        if let Some(pattern) = &pattern {
            q = q.bind(pattern);
        }
        for filter in filters {
            if let Filter::Bound(_, value) = filter {
                q = q.bind(*value);
            }
        }
        if let Some((key, id)) = after {
            q = q.bind(key).bind(id);
        }
        q.bind(limit + 1).fetch_all(p).await?
    });
    Ok(from_rows(rows, limit, list.key_of))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_row_means_more() {
        let p = from_rows(vec![5, 4, 3], 2, |r| *r);
        assert_eq!(p.rows, vec![5, 4]);
        assert_eq!(p.next, Some(4));
        let last = from_rows(vec![2, 1], 2, |r| *r);
        assert_eq!(last.next, None);
        assert_eq!(limit(0), 1);
        assert_eq!(limit(10_000), MAX_PAGE);
    }

    #[test]
    fn search_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("  50%_Off\\ ").as_deref(), Some("%50\\%\\_off\\\\%"));
        assert_eq!(contains_pattern(" \t"), None);
    }
}
