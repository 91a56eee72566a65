//! rustchat's push proxy: takes Mattermost push-proxy requests from chat
//! servers and forwards them to FCM (Android) and APNs (iOS).

pub mod apns;
pub mod config;
pub mod fcm;
pub mod metrics;
pub mod notification;
pub mod server;
#[cfg(feature = "stand-ins")]
pub mod standins;
