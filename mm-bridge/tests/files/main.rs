//! Files through `/api/v4` on both blob stores: the data dir and a real
//! S3-compatible server (the test script starts one and sets
//! `RUSTCHAT_TEST_S3_ENDPOINT`). Upload, post, download, renditions, limits,
//! permissions, deletion, orphans, resumable uploads and an S3 outage.

#[path = "../support/mod.rs"]
mod support;

mod access;
mod limits;
mod resumable;
mod stores;
mod uploads;
mod world;

use access::{
    files_are_readable_by_the_uploader_and_the_channel_only,
    files_follow_their_post_and_orphans_are_cleaned_up,
};
use limits::{
    limits_refuse_oversize_files_and_decompression_bombs, risky_types_are_always_downloads,
};
use resumable::{
    a_resumable_upload_arrives_in_parts_and_becomes_a_file,
    a_second_part_while_one_is_arriving_is_refused, abandoned_uploads_are_cleaned_up,
    an_upload_left_finishing_by_a_stopped_server_is_finished_by_a_retry,
    resumable_uploads_refuse_bad_parts_and_other_users,
};
use stores::Store;
use uploads::{
    a_file_of_several_parts_streams_through_unchanged,
    an_image_goes_through_upload_post_download_thumbnail_and_preview,
};

/// Declares each listed `async fn(Store)` test once per blob store, as
/// `local::<name>` and `s3::<name>`.
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod local {
            $( #[tokio::test] async fn $name() { super::$name(super::Store::Local).await } )*
        }
        mod s3 {
            $( #[tokio::test] async fn $name() { super::$name(super::Store::S3).await } )*
        }
    };
}

on_both_stores!(
    an_image_goes_through_upload_post_download_thumbnail_and_preview,
    files_are_readable_by_the_uploader_and_the_channel_only,
    limits_refuse_oversize_files_and_decompression_bombs,
    risky_types_are_always_downloads,
    files_follow_their_post_and_orphans_are_cleaned_up,
    a_file_of_several_parts_streams_through_unchanged,
    a_resumable_upload_arrives_in_parts_and_becomes_a_file,
    resumable_uploads_refuse_bad_parts_and_other_users,
    a_second_part_while_one_is_arriving_is_refused,
    abandoned_uploads_are_cleaned_up,
    an_upload_left_finishing_by_a_stopped_server_is_finished_by_a_retry,
);
