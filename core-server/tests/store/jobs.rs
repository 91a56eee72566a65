//! Background jobs.

use core_server::id::new_id;
use core_server::model::*;
use core_server::Error;

use crate::support::Ctx;

fn job(job_type: &str, at: i64) -> Job {
    Job {
        id: new_id(),
        job_type: job_type.into(),
        priority: 0,
        create_at: at,
        start_at: 0,
        last_activity_at: at,
        status: job_status::PENDING.into(),
        progress: 0,
        data: [("import_file".to_string(), "f.zip".to_string())]
            .into_iter()
            .collect(),
    }
}

async fn jobs_move_through_their_states(ctx: Ctx) {
    let store = &ctx.store;
    let (import, export) = (job("import_process", 1), job("export_process", 2));
    store.create_job(&import).await.expect("import");
    store.create_job(&export).await.expect("export");
    assert_eq!(store.get_job(&import.id).await.expect("get"), import);
    assert!(matches!(
        store.get_job(&new_id()).await,
        Err(Error::NotFound { .. })
    ));

    // Only one of two workers takes a pending job.
    let take = |id: String| {
        let store = store.clone();
        async move {
            store
                .set_job_status(&id, job_status::PENDING, job_status::IN_PROGRESS, 3)
                .await
                .expect("take")
        }
    };
    assert!(take(import.id.clone()).await);
    assert!(!take(import.id.clone()).await);
    store
        .set_job_progress(&import.id, 40, 4)
        .await
        .expect("progress");
    let running = store.get_job(&import.id).await.expect("get");
    assert_eq!(
        (
            running.status.as_str(),
            running.progress,
            running.last_activity_at
        ),
        (job_status::IN_PROGRESS, 40, 4)
    );

    let mut done = running.clone();
    done.status = job_status::SUCCESS.into();
    done.progress = 100;
    done.data.insert("line_count".into(), "7".into());
    store.update_job(&done).await.expect("finish");
    assert_eq!(store.get_job(&import.id).await.expect("get"), done);

    let ids = |jobs: Vec<Job>| jobs.into_iter().map(|j| j.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.list_jobs(None, 0, 10).await.expect("all")),
        vec![export.id.clone(), import.id.clone()],
        "newest first"
    );
    assert_eq!(
        ids(store
            .list_jobs(Some("import_process"), 0, 10)
            .await
            .expect("typed")),
        vec![import.id.clone()]
    );
    assert_eq!(
        ids(store.list_jobs(None, 1, 10).await.expect("offset")),
        vec![import.id.clone()]
    );
}

/// Jobs whose node stopped: this node's own at start-up and anyone's whose
/// heartbeat went quiet run again, until their attempts are spent; a job
/// asked to cancel is canceled. Jobs of live nodes are left alone.
async fn interrupted_jobs_are_recovered(ctx: Ctx) {
    use core_server::services::job_recovery::Recovered;
    let store = &ctx.store;
    let me = ctx.core.node_identity().await.expect("node id");
    assert_eq!(
        ctx.core.node_identity().await.expect("again"),
        me,
        "lasting"
    );
    let now = core_server::time::now_ms();
    let running = |status: &str, node: &str, heartbeat: i64, attempts: &str| {
        let mut j = job("export_process", now - 600_000);
        j.status = status.into();
        j.last_activity_at = heartbeat;
        j.data.insert("node".into(), node.into());
        j.data.insert("attempts".into(), attempts.into());
        j
    };
    let other = new_id();
    let mine_fresh = running(job_status::IN_PROGRESS, &me, now, "1");
    let others_fresh = running(job_status::IN_PROGRESS, &other, now, "1");
    let others_quiet = running(job_status::IN_PROGRESS, &other, now - 300_000, "1");
    let mine_spent = running(job_status::IN_PROGRESS, &me, now, "3");
    let mine_canceling = running(job_status::CANCEL_REQUESTED, &me, now, "1");
    let mut finished = running(job_status::SUCCESS, &me, now, "1");
    finished.status = job_status::SUCCESS.into();
    for j in [
        &mine_fresh,
        &others_fresh,
        &others_quiet,
        &mine_spent,
        &mine_canceling,
        &finished,
    ] {
        store.create_job(j).await.expect("job");
    }
    let unfinished: Vec<String> = store
        .list_unfinished_jobs()
        .await
        .expect("unfinished")
        .into_iter()
        .map(|j| j.id)
        .collect();
    assert_eq!(unfinished.len(), 5, "{unfinished:?}");
    assert!(!unfinished.contains(&finished.id));

    let mut at_start = ctx
        .core
        .recover_interrupted_jobs(true)
        .await
        .expect("start");
    at_start.sort();
    let mut expected = vec![
        (mine_fresh.id.clone(), Recovered::Restarted),
        (others_quiet.id.clone(), Recovered::Restarted),
        (mine_spent.id.clone(), Recovered::Failed),
        (mine_canceling.id.clone(), Recovered::Canceled),
    ];
    expected.sort();
    assert_eq!(at_start, expected);

    // A later sweep (not the start) leaves jobs with a live heartbeat alone,
    // this node's now running again among them.
    let swept = ctx
        .core
        .recover_interrupted_jobs(false)
        .await
        .expect("sweep");
    assert_eq!(swept, vec![]);

    let get = |id: String| async move { store.get_job(&id).await.expect("job") };
    assert_eq!(get(mine_fresh.id.clone()).await.data["attempts"], "2");
    let spent = get(mine_spent.id.clone()).await;
    assert_eq!(spent.status, job_status::ERROR);
    assert!(
        spent.data["error"].contains("interrupted 3 times"),
        "{spent:?}"
    );
    assert_eq!(
        get(mine_canceling.id.clone()).await.status,
        job_status::CANCELED
    );
    let untouched = get(others_fresh.id.clone()).await;
    assert_eq!(
        (
            untouched.status.as_str(),
            untouched.data["attempts"].as_str()
        ),
        (job_status::IN_PROGRESS, "1")
    );
}

on_both_backends!(
    jobs_move_through_their_states,
    interrupted_jobs_are_recovered
);
