//! A database connection lent to one store call, timed: how long the call
//! waited for it and how long it held it (the `rustchat_db_*` metrics).

use std::ops::{Deref, DerefMut};
use std::time::Instant;

use crate::metrics::DbKind;

pub(super) struct Lent<G> {
    inner: G,
    kind: DbKind,
    since: Instant,
}

impl<G> Lent<G> {
    /// A connection asked for at `asked` and lent now.
    pub(super) fn new(inner: G, kind: DbKind, asked: Instant) -> Self {
        let since = Instant::now();
        crate::metrics::db_acquired(kind, since.duration_since(asked));
        Lent { inner, kind, since }
    }
}

impl<G: Deref> Deref for Lent<G> {
    type Target = G::Target;
    fn deref(&self) -> &G::Target {
        &self.inner
    }
}

impl<G: DerefMut> DerefMut for Lent<G> {
    fn deref_mut(&mut self) -> &mut G::Target {
        &mut self.inner
    }
}

impl<G> Drop for Lent<G> {
    fn drop(&mut self) {
        crate::metrics::db_released(self.kind, self.since.elapsed());
    }
}
