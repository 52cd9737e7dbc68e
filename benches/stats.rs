//! Medians and percentiles shared by the bench binaries (`#[path]`-included).

use std::time::Duration;

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[allow(dead_code)]
pub fn p95(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[(v.len() * 95 / 100).min(v.len() - 1)]
}

/// Prints one figure against its budget; `true` when it is over twice the budget
/// (the bench binaries then exit non-zero).
#[allow(dead_code)]
pub fn report(what: &str, took: Duration, budget: Duration) -> bool {
    let verdict = if took <= budget {
        "PASS"
    } else if took <= budget * 2 {
        "OVER"
    } else {
        "OVER (>2x)"
    };
    println!(
        "{what:<64} {:>9.2} ms  budget {:>6.1} ms  {verdict}",
        took.as_secs_f64() * 1e3,
        budget.as_secs_f64() * 1e3
    );
    took > budget * 2
}
