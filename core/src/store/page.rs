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
    /// The columns a user may sort it by instead (`o` on a record screen).
    pub sorts: &'static [SortColumn],
}

/// A column a list may be sorted by: its heading (as the list's `LIST_COLUMNS`
/// names it), the SQL it orders by — never NULL, so the keyset comparison holds —
/// and the kind of value it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortColumn {
    pub heading: &'static str,
    pub expr: &'static str,
    pub kind: SortKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKind {
    /// Compared case-insensitively (`lower(…)`: the expression gives it).
    Text,
    Int,
    Time,
}

/// A sort key value, where a sorted page goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortValue {
    Text(String),
    Int(i64),
    Time(chrono::DateTime<chrono::Utc>),
}

/// A list sorted by `column` (a `SortColumn`'s heading), either way.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sort {
    pub column: String,
    pub descending: bool,
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
    let mut sql = conditions(list, status.is_some(), pattern.is_some(), filters, &mut args);
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

/// `SELECT … WHERE` with the tab, search and filters' conditions (placeholders
/// from `args`, bound in that order).
fn conditions<R, K>(
    list: &List<'_, R, K>,
    status: bool,
    search: bool,
    filters: &[Filter<'_>],
    args: &mut Args,
) -> String {
    let mut sql = format!("{} WHERE 1 = 1", list.select);
    if status {
        sql += &format!(" AND {} = {}", list.status, args.arg());
    }
    if search {
        sql += &any_like(list.searched, &args.arg());
    }
    for filter in filters {
        sql += &match filter {
            Filter::Fixed(condition) => condition.to_string(),
            Filter::Bound(condition, _) => condition(&args.arg()),
        };
    }
    sql
}

/// One keyset page of `list` sorted by `sort` (its column's key, then the id),
/// after `after`: the same tab, search and filters as `list_page`. `None` when the
/// list cannot be sorted by that column.
#[allow(clippy::too_many_arguments)] // the list_page arguments and the sort
pub async fn sorted_page<R, K>(
    db: &super::Db,
    list: &List<'_, R, K>,
    status: Option<&str>,
    search: Option<&str>,
    filters: &[Filter<'_>],
    sort: &Sort,
    after: Option<(SortValue, i64)>,
    limit: i64,
) -> super::Result<Option<Page<R, (SortValue, i64)>>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    let Some(column) = list.sorts.iter().find(|c| c.heading == sort.column) else { return Ok(None) };
    let limit = self::limit(limit);
    let pattern = search.and_then(contains_pattern);
    let mut args = Args::default();
    let select = list.select.replacen("SELECT ", &format!("SELECT {} AS sort_key, ", column.expr), 1);
    let shape = List { select: &select, ..*list };
    let mut sql = conditions(&shape, status.is_some(), pattern.is_some(), filters, &mut args);
    let (before_or_after, direction) = if sort.descending { ("<", " DESC") } else { (">", "") };
    if after.is_some() {
        sql += &format!(" AND ({}, {}) {before_or_after} ({}, {})", column.expr, list.id, args.arg(), args.arg());
    }
    sql += &format!(" ORDER BY {}{direction}, {}{direction} LIMIT {}", column.expr, list.id, args.arg());
    fn key<'r, Row: sqlx::Row>(row: &'r Row, kind: SortKind) -> std::result::Result<SortValue, sqlx::Error>
    where
        usize: sqlx::ColumnIndex<Row>,
        String: sqlx::Decode<'r, Row::Database> + sqlx::Type<Row::Database>,
        i64: sqlx::Decode<'r, Row::Database> + sqlx::Type<Row::Database>,
        chrono::DateTime<chrono::Utc>: sqlx::Decode<'r, Row::Database> + sqlx::Type<Row::Database>,
    {
        Ok(match kind {
            SortKind::Text => SortValue::Text(row.try_get(0)?),
            SortKind::Int => SortValue::Int(row.try_get(0)?),
            SortKind::Time => SortValue::Time(row.try_get(0)?),
        })
    }
    let rows: Vec<(R, SortValue)> = crate::with_db!(db, p => {
        let mut q = sqlx::query(&sql);
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
        if let Some((value, id)) = &after {
            q = match value {
                SortValue::Text(t) => q.bind(t.clone()),
                SortValue::Int(n) => q.bind(*n),
                SortValue::Time(t) => q.bind(*t),
            }
            .bind(*id);
        }
        let mut out = Vec::new();
        for row in q.bind(limit + 1).fetch_all(p).await? {
            out.push((R::from_row(&row)?, key(&row, column.kind)?));
        }
        out
    });
    let key_of = list.key_of;
    let mut page = from_rows(rows, limit, |(r, value)| (value.clone(), key_of(r).1));
    Ok(Some(Page { rows: page.rows.drain(..).map(|(r, _)| r).collect(), next: page.next }))
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
