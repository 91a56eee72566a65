//! rustchat's native core: the model, the store, the services that hold every
//! rule, authentication, the event bus and the native `/api/v1` surface.
//! Nothing here knows the Mattermost wire format; `mm-bridge` translates onto it.

pub mod config;
pub mod error;
pub mod id;
pub mod model;
pub mod ratelimit;
pub mod store;
pub mod time;

pub use error::{Error, Result, SignUpRefusal};
pub mod api;
pub mod avatar;
pub mod bulk;
pub mod email;
pub mod events;
pub mod files;
pub mod mcp;
pub mod metrics;
pub mod notify;
pub mod outbound;
pub mod realtime;
pub mod seal;
pub mod search;
pub mod server;
pub mod services;
pub mod sso;
