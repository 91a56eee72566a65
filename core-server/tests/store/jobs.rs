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

on_both_backends!(jobs_move_through_their_states);
