//! The mutation engine of `tests/fuzz.rs`: it takes example payloads, mutates them
//! (bytes flipped, set, cut out or inserted; truncations at every kind of position;
//! fields dropped; values retyped; union tags changed; nodes swapped or nested deeply),
//! feeds each mutant to a decoder under `catch_unwind`, and reports the first one that
//! panics. Decode errors are the expected outcome of most mutants and are only counted.
//!
//! Deterministic: each seed payload has its own splitmix64 stream derived from the run's
//! seed and the payload's index, and gets a fixed share of the inputs, so a run finds the
//! same inputs whatever the number of threads.

use serde_json::{Map, Value};
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::time::{Duration, Instant};

/// Decodes bytes as one type: `true` when they decoded; a panic is a bug.
pub type Decode = fn(&[u8]) -> bool;

/// One payload to mutate and the decoder it is meant for.
pub struct Seed {
    /// Which type, for reports (`v2::Payment`).
    pub target: String,
    /// The decoder of that type.
    pub decode: Decode,
    /// A valid example of the type.
    pub payload: Value,
}

/// Values the mutations draw on: union tag properties, the tags of every union, and the
/// fields the client masks in the bodies errors keep.
#[derive(Default)]
pub struct Vocabulary {
    /// Properties that hold a union's tag (`type`, `status`).
    pub tag_properties: Vec<String>,
    /// Every known tag value (`PAID`, `CANCELLED`, ...).
    pub tags: Vec<String>,
    /// Fields holding credentials or tokens (`imp_secret`, `access_token`, ...).
    pub secret_fields: Vec<String>,
}

/// The first input that made a decoder panic.
#[derive(Debug)]
pub struct Panicked {
    /// The type being decoded.
    pub target: String,
    /// What was done to the seed payload.
    pub mutation: String,
    /// The input, as given to the decoder.
    pub input: Vec<u8>,
    /// The panic's message.
    pub message: String,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Inputs decoded.
    pub inputs: u64,
    /// Of those, how many decoded without error.
    pub decoded: u64,
    /// The first panicking input, by seed order then input order.
    pub panicked: Option<(usize, u64, Panicked)>,
    /// Wall time.
    pub elapsed: Duration,
}

thread_local! {
    /// Set while a decoder runs under `catch_unwind`: its panic message lands here
    /// instead of on stderr.
    static CAUGHT: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Install, once, a panic hook that stays quiet for panics we catch and defers to the
/// previous hook for any other.
fn quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let caught = CAUGHT.with(|c| {
                let mut c = c.borrow_mut();
                match c.as_mut() {
                    Some(slot) => {
                        *slot = Some(info.to_string());
                        true
                    }
                    None => false,
                }
            });
            if !caught {
                previous(info);
            }
        }));
    });
}

/// Run `decode` on `input`; the panic message if it panicked.
fn guarded(decode: Decode, input: &[u8]) -> Result<bool, String> {
    CAUGHT.with(|c| *c.borrow_mut() = Some(None));
    let outcome = catch_unwind(AssertUnwindSafe(|| decode(input)));
    let message = CAUGHT.with(|c| c.borrow_mut().take()).flatten();
    outcome.map_err(|payload| {
        message.unwrap_or_else(|| match payload.downcast_ref::<&str>() {
            Some(s) => (*s).to_owned(),
            None => payload.downcast_ref::<String>().cloned().unwrap_or_else(|| "a panic".into()),
        })
    })
}

/// splitmix64: small, fast, good enough to pick mutations, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    /// A stream from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// Bytes that change the meaning of JSON text when they appear somewhere new.
const INTERESTING: &[u8] = b"{}[]\":,\\0-+.eE ntfu\x00\x1f\x7f\x80\xbf\xc3\xe0\xef\xf0\xff";

/// Kinds of position a truncation may cut at, by the byte there.
const CLASSES: usize = 7;

fn class_of(b: u8) -> usize {
    match b {
        b'{' | b'[' => 0,
        b'}' | b']' => 1,
        b':' | b',' => 2,
        b'"' => 3,
        b'\\' => 4,
        b'0'..=b'9' | b'-' | b'+' | b'.' => 5,
        _ => 6,
    }
}

/// Values a field may be retyped to.
fn other_value(rng: &mut Rng, vocabulary: &Vocabulary) -> Value {
    match rng.below(16) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::from(0),
        3 => Value::from(-1),
        4 => Value::from(i64::MAX),
        5 => Value::from(u64::MAX),
        6 => Value::from(1.5),
        7 => Value::from(-1e300),
        8 => Value::String(String::new()),
        9 => Value::String("2024-13-45T25:61:61Z".into()),
        10 => Value::String("\u{0}\u{1f}\u{7f}\u{FFFF}\u{10FFFF}".into()),
        11 => Value::String(vocabulary.tags.get(rng.below(vocabulary.tags.len())).cloned().unwrap_or_default()),
        12 => Value::Array(Vec::new()),
        13 => Value::Array(vec![Value::Null, Value::from(1), Value::String("x".into())]),
        14 => Value::Object(Map::new()),
        _ => {
            let mut m = Map::new();
            if let Some(p) = rng.pick(&vocabulary.tag_properties) {
                m.insert(p.clone(), Value::String(rng.pick(&vocabulary.tags).cloned().unwrap_or_default()));
            }
            Value::Object(m)
        }
    }
}

/// Number of nodes (values) in a tree.
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(o) => o.values().map(count).sum(),
        _ => 0,
    }
}

/// The `n`-th node in pre-order.
fn nth_mut<'a>(v: &'a mut Value, n: &mut usize) -> Option<&'a mut Value> {
    if *n == 0 {
        return Some(v);
    }
    *n -= 1;
    match v {
        Value::Array(a) => {
            for x in a {
                if let Some(found) = nth_mut(x, n) {
                    return Some(found);
                }
            }
            None
        }
        Value::Object(o) => {
            for x in o.values_mut() {
                if let Some(found) = nth_mut(x, n) {
                    return Some(found);
                }
            }
            None
        }
        _ => None,
    }
}

/// A random node, and its pre-order index.
fn random_node<'a>(rng: &mut Rng, v: &'a mut Value) -> (usize, &'a mut Value) {
    let total = count(v);
    let index = rng.below(total);
    let mut n = index;
    let node = nth_mut(v, &mut n).expect("index below the node count");
    (index, node)
}

/// The pre-order indices of the objects with at least one field.
fn object_indices(v: &Value, next: &mut usize, out: &mut Vec<usize>) {
    let me = *next;
    *next += 1;
    match v {
        Value::Object(o) => {
            if !o.is_empty() {
                out.push(me);
            }
            o.values().for_each(|x| object_indices(x, next, out));
        }
        Value::Array(a) => a.iter().for_each(|x| object_indices(x, next, out)),
        _ => {}
    }
}

/// The `n`-th node in pre-order, to read.
fn nth(v: &Value, n: &mut usize) -> Option<Value> {
    let mut found = None;
    walk(v, n, &mut |node| found = Some(node.clone()));
    found
}

/// Call `f` on the `n`-th node in pre-order.
fn walk(v: &Value, n: &mut usize, f: &mut dyn FnMut(&Value)) -> bool {
    if *n == 0 {
        f(v);
        return true;
    }
    *n -= 1;
    match v {
        Value::Array(a) => a.iter().any(|x| walk(x, n, f)),
        Value::Object(o) => o.values().any(|x| walk(x, n, f)),
        _ => false,
    }
}

/// A random object node with at least one field, if the tree has one.
fn random_object<'a>(rng: &mut Rng, v: &'a mut Value) -> Option<(usize, &'a mut Map<String, Value>)> {
    let mut objects = Vec::new();
    object_indices(v, &mut 0, &mut objects);
    let index = *rng.pick(&objects)?;
    let mut n = index;
    match nth_mut(v, &mut n) {
        Some(Value::Object(o)) => Some((index, o)),
        _ => None,
    }
}

/// Change the tree; a description of what changed.
fn mutate_tree(rng: &mut Rng, v: &mut Value, vocabulary: &Vocabulary) -> String {
    match rng.below(7) {
        0 => match random_object(rng, v) {
            Some((at, o)) => {
                let key = o.keys().nth(rng.below(o.len())).cloned().unwrap_or_default();
                o.remove(&key);
                format!("dropped field {key:?} of node {at}")
            }
            None => "no object to drop a field from".into(),
        },
        1 => {
            let replacement = other_value(rng, vocabulary);
            let (at, node) = random_node(rng, v);
            let was = kind(node);
            *node = replacement;
            format!("node {at} retyped from {was} to {}", kind(node))
        }
        2 => {
            let tag = rng.pick(&vocabulary.tags).cloned().unwrap_or_default();
            let property = rng.pick(&vocabulary.tag_properties).cloned().unwrap_or_else(|| "type".into());
            match random_object(rng, v) {
                Some((at, o)) => {
                    // A tag property the object has, if any; otherwise one of the known ones.
                    let existing = vocabulary.tag_properties.iter().find(|p| o.contains_key(p.as_str())).cloned();
                    let property = existing.unwrap_or(property);
                    o.insert(property.clone(), Value::String(tag.clone()));
                    format!("node {at}: {property:?} set to {tag:?}")
                }
                None => "no object to change a tag of".into(),
            }
        }
        3 => {
            // Swap: a node replaced by a copy of another (a structure where another is expected).
            let total = count(v);
            let mut from = rng.below(total);
            let donor = nth(v, &mut from).unwrap_or(Value::Null);
            let (at, node) = random_node(rng, v);
            *node = donor;
            format!("node {at} replaced by a copy of another node")
        }
        4 => {
            let depth = 1 + rng.below(300);
            let in_arrays = rng.below(2) == 0;
            let (at, node) = random_node(rng, v);
            let mut inner = node.take();
            for _ in 0..depth {
                inner = if in_arrays {
                    Value::Array(vec![inner])
                } else {
                    let mut m = Map::new();
                    m.insert("n".into(), inner);
                    Value::Object(m)
                };
            }
            *node = inner;
            format!("node {at} nested {depth} deep in {}", if in_arrays { "arrays" } else { "objects" })
        }
        5 => {
            // A secret field planted in an object (or, for a string, in its place).
            let field = rng.pick(&vocabulary.secret_fields).cloned().unwrap_or_else(|| "secret".into());
            let value = match rng.below(3) {
                0 => other_value(rng, vocabulary),
                _ => Value::String(format!("secret-value-{}", rng.below(1000))),
            };
            let (at, node) = random_node(rng, v);
            match node {
                Value::Object(o) => {
                    o.insert(field.clone(), value);
                }
                other => {
                    let mut m = Map::new();
                    m.insert(field.clone(), value);
                    *other = Value::Object(m);
                }
            }
            format!("node {at}: secret field {field:?} planted")
        }
        _ => match random_object(rng, v) {
            Some((at, o)) => {
                let key = o.keys().nth(rng.below(o.len())).cloned().unwrap_or_default();
                let value = other_value(rng, vocabulary);
                o.insert(format!("{key}Extra"), value);
                format!("node {at}: unknown field added next to {key:?}")
            }
            None => "no object to add a field to".into(),
        },
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Change the bytes; a description of what changed.
fn mutate_bytes(rng: &mut Rng, bytes: &mut Vec<u8>) -> String {
    if bytes.is_empty() {
        bytes.push(*rng.pick(INTERESTING).unwrap_or(&b'{'));
        return "a byte into empty input".into();
    }
    let at = rng.below(bytes.len());
    match rng.below(6) {
        0 => {
            let bit = rng.below(8);
            bytes[at] ^= 1 << bit;
            format!("bit {bit} of byte {at} flipped")
        }
        1 => {
            let b = *rng.pick(INTERESTING).unwrap_or(&b'"');
            bytes[at] = b;
            format!("byte {at} set to {b:#04x}")
        }
        2 => {
            let b = *rng.pick(INTERESTING).unwrap_or(&b'"');
            bytes.insert(at, b);
            format!("byte {b:#04x} inserted at {at}")
        }
        3 => {
            let len = 1 + rng.below(16.min(bytes.len() - at));
            bytes.drain(at..at + len);
            format!("{len} bytes cut out at {at}")
        }
        4 => {
            let len = 1 + rng.below(32.min(bytes.len() - at));
            let copy: Vec<u8> = bytes[at..at + len].to_vec();
            let to = rng.below(bytes.len());
            bytes.splice(to..to, copy);
            format!("{len} bytes from {at} repeated at {to}")
        }
        _ => {
            bytes.truncate(at);
            format!("truncated to {at} bytes")
        }
    }
}

/// Truncations of `bytes` at the first, a middle and the last position of each class,
/// before and after the byte: the cuts a stream broken off anywhere could make.
fn truncations(bytes: &[u8]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for class in 0..CLASSES {
        let at: Vec<usize> = (0..bytes.len()).filter(|&i| class_of(bytes[i]) == class).collect();
        let mut picks = vec![at.first(), at.get(at.len() / 2), at.last()];
        picks.dedup();
        for i in picks.into_iter().flatten() {
            for cut in [*i, i + 1] {
                if cut < bytes.len() && !out.iter().any(|(c, _)| *c == cut) {
                    out.push((cut, format!("truncated to {cut} bytes (class {class})")));
                }
            }
        }
    }
    out.push((0, "empty".into()));
    out
}

/// Decode `inputs` mutants spread evenly over `seeds` (the deterministic truncations of
/// each seed first), on `threads` threads; stops at the first panic of each thread.
pub fn run(seeds: &[Seed], vocabulary: &Vocabulary, inputs: u64, run_seed: u64, threads: usize) -> Report {
    quiet_hook();
    let started = Instant::now();
    let threads = threads.clamp(1, seeds.len().max(1));
    let per_seed = inputs / seeds.len().max(1) as u64;
    let extra = inputs % seeds.len().max(1) as u64;
    let reports: Vec<Report> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut report = Report::default();
                    for (index, seed) in seeds.iter().enumerate().skip(t).step_by(threads) {
                        let budget = per_seed + u64::from((index as u64) < extra);
                        if let Some(p) = fuzz_seed(index, seed, vocabulary, budget, run_seed, &mut report) {
                            report.panicked = Some(p);
                            break;
                        }
                    }
                    report
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a fuzz thread panicked outside a decoder")).collect()
    });
    let mut total = Report { elapsed: started.elapsed(), ..Report::default() };
    for r in reports {
        total.inputs += r.inputs;
        total.decoded += r.decoded;
        if let Some(p) = r.panicked {
            let earlier = total.panicked.as_ref().is_none_or(|q| (p.0, p.1) < (q.0, q.1));
            if earlier {
                total.panicked = Some(p);
            }
        }
    }
    total
}

/// `budget` inputs from one seed; the first panic, with the seed's index and the input's number.
fn fuzz_seed(
    index: usize,
    seed: &Seed,
    vocabulary: &Vocabulary,
    budget: u64,
    run_seed: u64,
    report: &mut Report,
) -> Option<(usize, u64, Panicked)> {
    let mut rng = Rng::new(run_seed ^ (index as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let original = serde_json::to_vec(&seed.payload).expect("a JSON value encodes");
    let mut tried = 0;
    let mut attempt = |input: &[u8], mutation: String, report: &mut Report| {
        report.inputs += 1;
        tried += 1;
        match guarded(seed.decode, input) {
            Ok(decoded) => {
                report.decoded += u64::from(decoded);
                None
            }
            Err(message) => {
                Some((index, tried, Panicked { target: seed.target.clone(), mutation, input: input.to_vec(), message }))
            }
        }
    };
    if budget == 0 {
        return None;
    }
    if let Some(p) = attempt(&original, "none (the seed itself)".into(), report) {
        return Some(p);
    }
    let cuts = truncations(&original);
    for (cut, what) in cuts.iter().take(budget.saturating_sub(1) as usize) {
        if let Some(p) = attempt(&original[..*cut], what.clone(), report) {
            return Some(p);
        }
    }
    let done = 1 + cuts.len().min(budget.saturating_sub(1) as usize) as u64;
    for _ in done..budget {
        let mut steps = Vec::new();
        let bytes = match rng.below(3) {
            // Bytes only.
            0 => {
                let mut bytes = original.clone();
                for _ in 0..1 + rng.below(3) {
                    steps.push(mutate_bytes(&mut rng, &mut bytes));
                }
                bytes
            }
            // Structure only, or structure then bytes.
            n => {
                let mut tree = seed.payload.clone();
                for _ in 0..1 + rng.below(3) {
                    steps.push(mutate_tree(&mut rng, &mut tree, vocabulary));
                }
                let mut bytes = serde_json::to_vec(&tree).expect("a JSON value encodes");
                if n == 2 {
                    steps.push(mutate_bytes(&mut rng, &mut bytes));
                }
                bytes
            }
        };
        if let Some(p) = attempt(&bytes, steps.join("; "), report) {
            return Some(p);
        }
    }
    None
}
