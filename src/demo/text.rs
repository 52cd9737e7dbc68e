//! Text material for demo data: names in English and Arabic, and a deterministic
//! pseudo-random generator so every demo database is the same.

pub const FIRST_NAMES: &[&str] = &[
    "Sara", "Omar", "Mona", "Karim", "Nour", "Ahmed", "Layla", "Youssef", "Hana", "Tarek", "Emily", "James", "Priya",
    "Chen", "Lucas", "Fatima", "سارة", "محمد", "نور", "أحمد", "ليلى", "يوسف", "مريم", "خالد", "هبة", "عمر", "Zeynep",
    "Mateo", "Aisha", "Daniel",
];

pub const LAST_NAMES: &[&str] = &[
    "Hassan",
    "Ibrahim",
    "Mostafa",
    "Saleh",
    "El-Sayed",
    "Kamal",
    "Smith",
    "Garcia",
    "Nguyen",
    "Patel",
    "Okafor",
    "Rossi",
    "عبد الرحمن",
    "الشريف",
    "منصور",
    "حداد",
    "فاروق",
    "النجار",
    "Yilmaz",
    "Haddad",
];

pub const LOST_REASONS: &[&str] = &["price", "chose a competitor", "timing", "no response", "not a fit"];

pub const BUDGETS: &[&str] = &["< $500", "$500–1,000", "$1,000–3,000", "$3,000+"];

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

// ---------------------------------------------------------------------------
// The small demo academy (demo/seed): people, messages and content in English
// and Arabic, with a few emoji and a few hostile strings.
// ---------------------------------------------------------------------------

/// Students of the demo academy: display name and the local part of their
/// `@demo.staffroom.test` email (ASCII, so Arabic names get a transliteration).
pub const STUDENTS: &[(&str, &str)] = &[
    ("Sara Hassan", "sara.hassan"),
    ("محمد عبد الرحمن", "mohamed.abdelrahman"),
    ("Nour El-Sayed", "nour.elsayed"),
    ("ليلى الشريف", "layla.elsharif"),
    ("Ahmed Kamal", "ahmed.kamal"),
    ("Emily Smith", "emily.smith"),
    ("Youssef Ibrahim", "youssef.ibrahim"),
    ("مريم منصور", "mariam.mansour"),
    ("Priya Patel", "priya.patel"),
    ("Tarek Mostafa", "tarek.mostafa"),
    ("Hana Saleh", "hana.saleh"),
    ("خالد النجار", "khaled.elnaggar"),
    ("Lucas Rossi", "lucas.rossi"),
    ("Fatima Okafor", "fatima.okafor"),
    ("Zeynep Yilmaz", "zeynep.yilmaz"),
];

/// A graduate of the previous cohort who became an assistant instructor: one user
/// with both the student and the instructor flag (seed 002's multi-role users).
pub const ASSISTANT: (&str, &str) = ("Karim Saleh", "karim.saleh");

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

/// What prospective students and clients write (English).
pub const LEAD_MESSAGES_EN: &[&str] = &[
    "Hi, I'd like to know when the next full-stack cohort starts and whether you offer installments.",
    "Can I join the evening track while working full time?",
    "We need an internal dashboard for our sales team. Could we get a quote?",
    "I finished a free online course and want mentoring to land my first junior role.",
    "Do you review GitHub profiles? Mine needs help before I start applying.",
    "Our startup needs an MVP in six weeks. Is that something your team does?",
    "Is the UI/UX program suitable for a graphic designer with no coding background?",
    "Please send me the syllabus and the price in USD.",
    "I saw your workshop on Instagram, are there seats left?",
    "My company wants to sponsor three employees. Do you have corporate pricing?",
];

/// What prospective students write (Arabic).
pub const LEAD_MESSAGES_AR: &[&str] = &[
    "السلام عليكم، أريد الالتحاق ببرنامج تطوير الويب. هل يوجد نظام تقسيط؟",
    "ما هي مواعيد المحاضرات؟ أعمل صباحاً وأفضّل المساء.",
    "هل الشهادة معتمدة؟ وهل يوجد تدريب عملي بعد البرنامج؟",
    "أنا طالب في كلية الهندسة، هل يوجد خصم للطلاب؟",
    "أحتاج مراجعة لمشروعي على GitHub قبل التقديم على الوظائف 🚀",
];

/// Lead notes by type (general, call, email, meeting, whatsapp).
pub const NOTES_GENERAL: &[&str] = &[
    "Came in through the website form; no budget given.",
    "Possible duplicate of an earlier lead: same phone number.",
    "Prefers Arabic for calls.",
];
pub const NOTES_CALL: &[&str] = &[
    "Called: interested in the evening track, asked about installments.",
    "Short call, will discuss with family and call back.",
    "Call: wants to start next month, works in accounting.",
];
pub const NOTES_EMAIL: &[&str] =
    &["Emailed the syllabus and the payment plans.", "Sent the proposal (PDF) with two pricing options."];
pub const NOTES_MEETING: &[&str] =
    &["Campus visit: met the instructor, very motivated.", "Video meeting with their CTO: scope is a 6-week MVP."];
pub const NOTES_WHATSAPP: &[&str] =
    &["WhatsApp: sent the brochure and the next open day date.", "تواصلنا على واتساب وأرسلنا تفاصيل البرنامج 👍"];

/// Curriculum of the full-stack program, one title per calendar session.
pub const SESSION_TITLES: &[&str] = &[
    "Kick-off and dev environment",
    "How the web works",
    "Semantic HTML",
    "CSS layout: flexbox and grid",
    "Responsive design lab",
    "JavaScript fundamentals",
    "DOM and events",
    "Project week: landing page demos",
    "Git and GitHub workflow",
    "Async JavaScript and fetch",
    "Guest talk: a day in a product team",
    "React components and props",
    "React state and hooks",
    "Routing and forms",
    "Authentication and sessions",
    "Node.js and Express",
    "REST API design",
    "SQL and PostgreSQL",
    "Data modelling lab",
    "Testing with Vitest",
    "Deployment and CI",
    "Accessibility review",
    "Performance and caching",
    "Capstone planning",
];

/// Markdown body of a lesson.
pub fn lesson_markdown(title: &str, points: &[&str], code: &str) -> String {
    let mut md = format!(
        "# {title}\n\nIn this lesson you will practise the essentials of **{title}**.\n\n## You will learn\n\n"
    );
    for p in points {
        md.push_str(&format!("- {p}\n"));
    }
    if !code.is_empty() {
        md.push_str(&format!("\n## Try it\n\n```js\n{code}\n```\n"));
    }
    md.push_str("\n> Tip: commit after every small step.\n");
    md
}

/// A post body in English (markdown).
pub const POST_GIT_HABITS: &str = "Your capstone is a team project, and Git is how the team talks.\n\n\
## 1. Small commits\n\nOne idea per commit, with a message that says *why*.\n\n\
## 2. Pull before you push\n\n```sh\ngit pull --rebase origin main\n```\n\n\
## 3. Review each other\n\nEvery pull request gets one reviewer before it is merged. 🚀";

pub const POST_REACT_SUMMARY: &str = "Tonight we covered `useState` and `useEffect`.\n\n\
- State is a snapshot: setting it schedules a new render.\n\
- Effects synchronise with the outside world; return a cleanup.\n\
- Homework: build the counter and the fetch-on-mount list.\n";

pub const POST_GRID_TUTORIAL: &str = "CSS Grid in ten minutes: define columns with `grid-template-columns`, \
place items with `grid-column`, and let `minmax()` make it responsive. Watch the video, then rebuild the gallery.";

/// Arabic article: how to start a career in programming.
pub const POST_CAREER_AR: &str = "## كيف تبدأ مسيرتك في البرمجة؟\n\n\
البداية ليست صعبة كما تتخيل. اختر لغة واحدة، وابنِ مشروعاً صغيراً كل أسبوع، \
وشارك عملك على GitHub.\n\n- تعلّم الأساسيات جيداً\n- اطلب مراجعة لكودك\n- لا تتوقف عن التعلم 🎓\n";

/// Arabic student blog post.
pub const POST_JOURNEY_AR: &str = "انتقلت من المحاسبة إلى البرمجة بعد سنوات من التردد. \
في الأسبوع الأول شعرت بالضياع، لكن المدرّبة والزملاء ساعدوني كثيراً. \
اليوم أبني أول تطبيق React لي ❤️";

pub const POST_FIRST_MONTH: &str = "One month in! 🎓 I can finally center a div without crying. \
Biggest lesson: ask for help early. Thank you Lina and the whole cohort ❤️";

/// A student post that tries to attack the terminal that displays it.
pub fn hostile_post_body() -> String {
    format!(
        "Please read this carefully.\n\n{HOSTILE_ESCAPES}\n\nDownload the course notes here: {HOSTILE_BIDI}\n\n\
         Colour test: {HOSTILE_C1}red?\u{1b}[0m\n"
    )
}

/// Testimonials: author, role, text, rating.
pub const TESTIMONIALS: &[(&str, &str, &str, i64)] = &[
    (
        "Khaled El-Naggar",
        "Full-stack graduate",
        "The capstone felt like a real job. Two weeks after demo day I had an offer. 🚀",
        5,
    ),
    ("منى إبراهيم", "خريجة برنامج تصميم واجهات المستخدم", "تجربة رائعة! المدربون صبورون والمشاريع عملية جداً ❤️", 5),
    (
        "Nile Logistics",
        "Operations director",
        "They shipped our fleet dashboard in six weeks and trained our team to maintain it.",
        4,
    ),
    ("Lucas Rossi", "Full-stack graduate", "Honest feedback on every assignment. My code is cleaner than ever.", 5),
    ("Cairo Tech Hub", "Community partner", "A reliable partner for our meetups and hackathons.", 5),
    ("يوسف إبراهيم", "طالب في البرنامج المسائي", "المحتوى منظم والمتابعة ممتازة، أنصح به بشدة 🎓", 4),
    ("Fatima Okafor", "Full-stack graduate", "The mentorship sessions helped me prepare for interviews.", 4),
    ("Tarek Mostafa", "Former student", "Good course, but the schedule did not fit my job.", 3),
    ("Anonymous", "Student", "Best academy in Cairo, much better than <competitor> who charge double!!!", 5),
    ("ليلى الشريف", "طالبة", "أحببت جلسات مراجعة الكود كل أسبوع.", 5),
];
