//! Sidebar categories: the three defaults, custom ones, moving channels,
//! reordering, and which ones may be deleted.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{id, App};

#[tokio::test]
async fn sidebar_categories_can_be_created_filled_reordered_and_deleted() {
    let app = App::new().await;
    let (me, token) = app.user("sorter").await;
    let team = id(&app
        .team(&token, json!({"name": "sb", "display_name": "Sb"}))
        .await);
    let town = app.town_square(&token, &team).await;
    let base = format!("/api/v4/users/me/teams/{team}/channels/categories");
    let (_, sidebar, _) = app.call(&Method::GET, &base, Some(&token), None).await;
    let kinds: Vec<&str> = sidebar["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .filter_map(|c| c["type"].as_str())
        .collect();
    assert_eq!(kinds, vec!["favorites", "channels", "direct_messages"]);
    assert!(sidebar["categories"][1]["channel_ids"]
        .as_array()
        .expect("ids")
        .contains(&json!(town)));

    let (status, custom, _) = app
        .call(&Method::POST, &base, Some(&token), Some(&json!({"user_id": me, "team_id": team, "display_name": "Work", "channel_ids": [town]})))
        .await;
    assert_eq!(status, StatusCode::OK, "{custom}");
    let custom_id = id(&custom);
    let (_, sidebar, _) = app.call(&Method::GET, &base, Some(&token), None).await;
    let names: Vec<&str> = sidebar["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .filter_map(|c| c["display_name"].as_str())
        .collect();
    assert_eq!(
        names,
        vec!["Favorites", "Work", "Channels", "Direct Messages"],
        "a new category comes right after Favorites"
    );
    assert!(
        !sidebar["categories"][2]["channel_ids"]
            .as_array()
            .expect("ids")
            .contains(&json!(town)),
        "the channel moved out of Channels"
    );

    // Move it to Favorites and collapse the custom one.
    let mut fav = sidebar["categories"][0].clone();
    fav["channel_ids"] = json!([town]);
    let mut work = sidebar["categories"][1].clone();
    work["collapsed"] = json!(true);
    work["channel_ids"] = json!([]);
    let (status, changed, _) = app
        .call(&Method::PUT, &base, Some(&token), Some(&json!([fav, work])))
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed.as_array().map(Vec::len), Some(2));
    let (_, one, _) = app
        .call(
            &Method::GET,
            &format!("{base}/{custom_id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        (
            one["collapsed"].as_bool(),
            one["channel_ids"].as_array().map(Vec::len)
        ),
        (Some(true), Some(0))
    );

    // Reorder, then delete the custom category.
    let (_, order, _) = app
        .call(&Method::GET, &format!("{base}/order"), Some(&token), None)
        .await;
    let mut reversed: Vec<Value> = order.as_array().expect("order").clone();
    reversed.reverse();
    let (status, _, _) = app
        .call(
            &Method::PUT,
            &format!("{base}/order"),
            Some(&token),
            Some(&json!(reversed)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, sidebar, _) = app.call(&Method::GET, &base, Some(&token), None).await;
    assert_eq!(sidebar["order"], json!(reversed));
    let (status, _, _) = app
        .call(
            &Method::PUT,
            &format!("{base}/order"),
            Some(&token),
            Some(&json!(["bogus"])),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an order must list every category"
    );
    let (status, _, _) = app
        .call(
            &Method::DELETE,
            &format!("{base}/{custom_id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = app
        .call(
            &Method::DELETE,
            &format!("{base}/favorites_{me}_{team}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "default categories stay");
}
