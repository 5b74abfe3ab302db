//! Running independent jobs on every core, this thread included.
//!
//! The calling thread takes jobs like the others: one thread fewer to start per run, and
//! its allocator's memory is already in use, where a new thread's heap starts on fresh
//! pages (mimalloc setting up pages, and the kernel zeroing them, were a third of a
//! single-core profile of generation with every worker spawned).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Run `job` on each of `items`, on as many threads as the machine has cores (never more
/// than there are items), the calling one among them. Results come back in the items'
/// order; `None` marks an item whose job panicked, or whose thread panicked after it.
pub fn map_in_order<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync) -> Vec<Option<R>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            done.push((i, job(item)));
        }
        done
    };
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mine = catch_unwind(AssertUnwindSafe(work)).unwrap_or_default();
        let theirs = helpers.into_iter().flat_map(|h| h.join().unwrap_or_default());
        for (i, result) in mine.into_iter().chain(theirs) {
            results[i] = Some(result);
        }
    });
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order_and_a_panic_is_a_gap() {
        let items: Vec<u32> = (0..200).collect();
        let doubled = map_in_order(&items, |n| n * 2);
        assert_eq!(doubled, items.iter().map(|n| Some(n * 2)).collect::<Vec<_>>());
        assert!(map_in_order(&[] as &[u32], |n| *n).is_empty());
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let gaps = map_in_order(&items, |n| if *n == 7 { panic!("job 7") } else { *n });
        std::panic::set_hook(hook);
        assert_eq!(gaps[7], None);
        assert!(gaps.iter().filter(|r| r.is_some()).count() < items.len());
    }
}
