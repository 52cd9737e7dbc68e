//! What stays in Rust of the demo's text: a deterministic pseudo-random generator
//! so every demo database is the same, the hostile strings (on purpose: escapes and
//! controls are clearer as Rust escapes than hidden in a data file) and the 10 kB
//! message. Names, messages, posts and the rest are in `assets/demo/` (`assets`).

/// SplitMix64: tiny, fast, deterministic; good enough to spread demo values.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

// Hostile text: the TUI must show these inertly (no cleared screen, no colours, no
// clipboard write through OSC 52, no reversed file name, no C1 CSI).

/// Clears the screen, turns text red and writes "evil" to the clipboard (OSC 52).
pub const HOSTILE_ESCAPES: &str = "\u{1b}[2J\u{1b}[31mURGENT\u{1b}]52;c;ZXZpbA==\u{7}";
/// A right-to-left override that makes `invoice…exe` read as `invoiceexe.pdf`.
pub const HOSTILE_BIDI: &str = "invoice\u{202e}fdp.exe";
/// A single-byte C1 CSI (U+009B) followed by an SGR code.
pub const HOSTILE_C1: &str = "\u{9b}31m";

/// A message of about 10 kB (a lead who pasted their whole CV).
pub fn long_message() -> String {
    let para = "I have been teaching myself web development for two years: HTML, CSS, a lot of \
                JavaScript, some React and a little Node.js. I built a recipe finder, a budget \
                tracker and a landing page for my uncle's pharmacy. I would like structured \
                feedback, a real team project and help preparing for interviews. ";
    let mut text = String::from("Hello! Here is everything about me, sorry it is long.\n\n");
    let mut n = 1;
    while text.len() < 10_000 {
        text.push_str(&format!("{n}. {para}\n"));
        n += 1;
    }
    text.push_str("\nThank you for reading all of it 🙏");
    text
}

/// A student post that tries to attack the terminal that displays it.
pub fn hostile_post_body() -> String {
    format!(
        "Please read this carefully.\n\n{HOSTILE_ESCAPES}\n\nDownload the course notes here: {HOSTILE_BIDI}\n\n\
         Colour test: {HOSTILE_C1}red?\u{1b}[0m\n"
    )
}
