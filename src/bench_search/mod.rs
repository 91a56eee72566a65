//! The search benchmark: a generated corpus with exact answers
//! (`bench search-file`) and the timed searches (`bench search`).

pub mod corpus;
pub mod run;
