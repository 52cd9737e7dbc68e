//! The scroll window of a keyset-paged list: which rows are on screen for a cursor,
//! and when to ask for the next page.

/// Rows of a list that keeps its cursor in view: the first row shown.
pub fn window_start(cursor: usize, height: usize) -> usize {
    cursor.saturating_sub(height.saturating_sub(1))
}

/// Ask for the next page when the cursor is within `margin` rows of the end of
/// what is loaded, a next page exists, and none is on its way.
pub fn wants_more<K: Clone>(cursor: usize, loaded: usize, next: Option<&K>, loading: bool, margin: usize) -> Option<K> {
    next.cloned().filter(|_| !loading && cursor + margin >= loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_follows_the_cursor() {
        assert_eq!(window_start(0, 10), 0);
        assert_eq!(window_start(9, 10), 0);
        assert_eq!(window_start(10, 10), 1);
        assert_eq!(window_start(5, 0), 5);
    }

    #[test]
    fn more_only_near_the_end_and_once() {
        assert_eq!(wants_more(0, 100, Some(&7), false, 10), None);
        assert_eq!(wants_more(90, 100, Some(&7), false, 10), Some(7));
        assert_eq!(wants_more(90, 100, Some(&7), true, 10), None);
        assert_eq!(wants_more::<i64>(99, 100, None, false, 10), None);
    }
}
