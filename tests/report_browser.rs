//! The HTML report in a real browser: headless Chromium renders a report of documents written to
//! attack it, and a script run in the page checks the highlights, the legend and that nothing from
//! the documents ran or became markup. Also saves a screenshot of the unmodified report.
//!
//! Skips (with a message) when no Chromium is installed, except under CI (`CI` set), where
//! `.ci/run` installs it and a missing browser is a failure.
#![cfg(feature = "cli")]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The documents of the report: framing devices (nested and overlapping spans among them) and
/// injection attempts in the text, the id and a kept field.
const CORPUS: &str = r#"{"id": "plain", "outlet": "Test Gazette", "text": "The truth is that the levy is not a tax; it is a fee. Either we pay it or we lose the bridge. Perhaps the council will listen, but it clearly has not so far."}
{"id": "<i>script</i>", "outlet": "<svg onload=\"window.__pwned = 'svg'\">", "text": "Clearly <script>window.__pwned = 'script'; document.title = 'pwned';</script> this is not a drill; it is a test."}
{"id": "attr", "outlet": "\"><b id=\"injected\">x</b>", "text": "Perhaps \"><img src=x onerror=\"window.__pwned = 'img'\"> will fail. It may work. </style><b id=\"injected\">bold</b> Obviously not."}
{"id": "empty", "outlet": "", "text": "Nothing to see here."}
"#;

/// Run inside the page after it loaded; writes its findings as JSON into `#rhetor-test-result`.
const PROBE: &str = r#"<script>
(function () {
  var r = {};
  var heads = document.querySelectorAll('mark[data-head]');
  r.heads = heads.length;
  r.spanIds = new Set(Array.from(document.querySelectorAll('mark')).map(function (m) { return m.dataset.span; })).size;
  r.perDoc = Array.from(document.querySelectorAll('article.doc')).map(function (a) {
    return [Number(a.dataset.spans), a.querySelectorAll('mark[data-head]').length];
  });
  var bg = function (m) { return getComputedStyle(m).backgroundColor; };
  var clear = function (c) { return c === 'rgba(0, 0, 0, 0)' || c === 'transparent'; };
  var certainty = Array.from(document.querySelectorAll('mark.d-certainty'));
  var hedges = Array.from(document.querySelectorAll('mark.d-hedge'));
  r.certainty = certainty.length;
  r.hedges = hedges.length;
  r.certaintyShownBefore = certainty.filter(function (m) { return !clear(bg(m)); }).length;
  document.getElementById('show-certainty').click();
  r.certaintyShownAfter = certainty.filter(function (m) { return !clear(bg(m)); }).length;
  r.hedgesShownAfter = hedges.filter(function (m) { return !clear(bg(m)); }).length;
  document.getElementById('show-certainty').click();
  r.certaintyShownAgain = certainty.filter(function (m) { return !clear(bg(m)); }).length;
  r.titleSample = heads.length ? heads[0].getAttribute('title') : '';
  r.pwned = window.__pwned === undefined ? null : String(window.__pwned);
  r.documentTitle = document.title;
  r.injected = document.querySelectorAll('#injected, img, svg:not(.chart), article script, i').length;
  r.scripts = document.querySelectorAll('script').length;
  var texts = Array.from(document.querySelectorAll('article .text')).map(function (t) { return t.textContent; });
  r.scriptTextShown = texts.some(function (t) { return t.indexOf('<script>window.__pwned') >= 0; });
  r.imgTextShown = texts.some(function (t) { return t.indexOf('<img src=x onerror=') >= 0; });
  r.idShown = Array.from(document.querySelectorAll('article h2')).some(function (h) { return h.textContent === '<i>script</i>'; });
  r.overviewFirst = document.getElementById('overview').getBoundingClientRect().top < document.querySelector('main').getBoundingClientRect().top;
  r.bars = document.querySelectorAll('#overview svg rect.bar').length;
  var out = document.createElement('pre');
  out.id = 'rhetor-test-result';
  out.textContent = JSON.stringify(r).replace(/[<>&]/g, '_');
  document.body.appendChild(out);
})();
</script>
"#;

const CSP: &str = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">"#;

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("RHETOR_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium with a fresh profile; returns its stdout.
fn headless(browser: &Path, profile: &Path, args: &[&str]) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn rhetor(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_rhetor"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn the_report_renders_highlights_toggles_devices_and_runs_nothing_from_documents() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser test: install chromium (.ci/run does)"
        );
        eprintln!(
            "SKIPPED the_report_renders_highlights...: no chromium on PATH \
             (apt-get install chromium, or set RHETOR_CHROMIUM)"
        );
        return;
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-browser");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let corpus = dir.join("corpus.jsonl");
    std::fs::write(&corpus, CORPUS).unwrap();
    let corpus = corpus.to_str().unwrap();

    // The spans, from the JSONL output of the same run.
    let jsonl = rhetor(&["annotate", "-q", corpus]);
    let spans: Vec<usize> = String::from_utf8(jsonl.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["spans"].as_array().unwrap().len()
        })
        .collect();
    let total: usize = spans.iter().sum();
    assert!(total >= 8, "the corpus should give spans: {spans:?}");

    let report = dir.join("report.html");
    rhetor(&[
        "annotate",
        "-q",
        corpus,
        "--format",
        "html",
        "--keep-fields",
        "outlet",
        "-o",
        report.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains(CSP), "the report forbids scripts and fetches");
    assert!(
        !html.contains("<script"),
        "the report has no script of its own"
    );

    // The probe page: the report without its CSP (so that only escaping stands between a
    // document and the page) and with the probe script at the end.
    let probe = html
        .replace(CSP, "")
        .replace("</body>", &format!("{PROBE}</body>"));
    let probe_path = dir.join("probe.html");
    std::fs::write(&probe_path, probe).unwrap();
    let dom = headless(
        &browser,
        &dir.join("profile-probe"),
        &[
            "--dump-dom",
            "--virtual-time-budget=3000",
            &format!("file://{}", probe_path.display()),
        ],
    );
    let start = dom
        .find("<pre id=\"rhetor-test-result\">")
        .unwrap_or_else(|| panic!("the probe wrote no result; DOM:\n{dom}"));
    let rest = &dom[start + "<pre id=\"rhetor-test-result\">".len()..];
    let r: Value = serde_json::from_str(&rest[..rest.find("</pre>").unwrap()]).unwrap();
    eprintln!("browser findings: {r}");

    assert_eq!(r["heads"], total, "one highlighted element per span");
    assert_eq!(r["spanIds"], total, "every span id is rendered");
    let per_doc: Vec<(usize, usize)> = serde_json::from_value(r["perDoc"].clone()).unwrap();
    assert_eq!(per_doc.len(), spans.len());
    for ((declared, rendered), expected) in per_doc.iter().zip(&spans) {
        assert_eq!((declared, rendered), (expected, expected));
    }
    let certainty = r["certainty"].as_u64().unwrap();
    let hedges = r["hedges"].as_u64().unwrap();
    assert!(certainty > 0 && hedges > 0, "{r}");
    assert_eq!(r["certaintyShownBefore"], certainty);
    assert_eq!(r["certaintyShownAfter"], 0, "unticking hides certainty");
    assert_eq!(r["hedgesShownAfter"], hedges, "other devices stay");
    assert_eq!(
        r["certaintyShownAgain"], certainty,
        "ticking shows them again"
    );
    let title = r["titleSample"].as_str().unwrap();
    assert!(
        title.contains("strength") && title.contains("polarity") && title.contains('.'),
        "{title}"
    );
    assert_eq!(r["pwned"], Value::Null, "a document's code ran");
    assert_ne!(r["documentTitle"], "pwned");
    assert_eq!(r["injected"], 0, "a document's markup became elements");
    assert_eq!(r["scripts"], 1, "only the probe script");
    assert_eq!(r["scriptTextShown"], true, "the script shows as text");
    assert_eq!(r["imgTextShown"], true, "the img tag shows as text");
    assert_eq!(r["idShown"], true, "the id shows as text");
    assert_eq!(r["overviewFirst"], true);
    assert_eq!(r["bars"], 4);

    // A screenshot of the report as shipped (with its CSP).
    let shot = dir.join("report.png");
    headless(
        &browser,
        &dir.join("profile-shot"),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1100,1300",
            &format!("file://{}", report.display()),
        ],
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(png.len() > 10_000, "a screenshot with content");
    eprintln!("screenshot: {}", shot.display());
}
