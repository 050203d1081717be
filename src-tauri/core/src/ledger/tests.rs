use super::*;
use crate::store::Store;

fn entry(
    at: &str,
    model: &str,
    family: ChatFamily,
    key: &str,
    input: u64,
    output: u64,
) -> UsageEntry {
    UsageEntry {
        at: at.into(),
        run_id: Some("r".into()),
        connection_id: Some("sandbox".into()),
        key_fingerprint: Some(key.into()),
        workload: None,
        family,
        model: model.into(),
        status: RunStatus::Complete,
        http_status: Some(200),
        usage: Usage {
            input_tokens: Some(input),
            output_tokens: Some(output),
            ..Usage::default()
        },
        latency_ms: 100.0,
        ttft_ms: Some(10.0),
    }
}

fn price(model: &str, input: f64, output: f64) -> Price {
    Price {
        model: model.into(),
        input_per_mtok: Some(input),
        output_per_mtok: Some(output),
        cached_input_per_mtok: None,
        per_image: None,
        per_video_second: None,
        per_song: None,
        currency: "USD".into(),
    }
}

fn filled() -> Store {
    let store = Store::in_memory().unwrap();
    let rows = [
        entry(
            "2026-12-01T10:00:00Z",
            "gpt-5",
            ChatFamily::OpenAiChat,
            "aaa",
            1_000_000,
            500_000,
        ),
        entry(
            "2026-12-01T11:00:00Z",
            "gpt-5",
            ChatFamily::OpenAiChat,
            "bbb",
            2_000_000,
            0,
        ),
        entry(
            "2026-12-02T09:00:00Z",
            "claude-sonnet-4-6",
            ChatFamily::Anthropic,
            "aaa",
            10,
            20,
        ),
    ];
    for r in &rows {
        store.insert_usage(r).unwrap();
    }
    let mut failed = entry(
        "2026-12-02T09:30:00Z",
        "gpt-5",
        ChatFamily::OpenAiChat,
        "aaa",
        0,
        0,
    );
    failed.status = RunStatus::Failed;
    failed.http_status = Some(503);
    failed.usage = Usage::default();
    failed.latency_ms = 300.0;
    store.insert_usage(&failed).unwrap();
    store
}

#[test]
fn totals_per_model_cost_where_a_price_is_known() {
    let store = filled();
    store
        .upsert_price(&price("gpt-5", 1.25, 10.0), "now")
        .unwrap();
    let prices = store.prices().unwrap();
    let by_model = totals(&store.usage_slices(GroupBy::Model).unwrap(), &prices);
    assert_eq!(by_model.len(), 2);
    let claude = &by_model[0];
    assert_eq!(claude.group, "claude-sonnet-4-6");
    assert_eq!(claude.cost, None);
    assert_eq!(claude.unpriced_models, vec!["claude-sonnet-4-6".to_owned()]);
    let gpt = &by_model[1];
    assert_eq!((gpt.requests, gpt.failed), (3, 1));
    assert_eq!(gpt.tokens.input, 3_000_000);
    assert_eq!(gpt.tokens.output, 500_000);
    // 3 M input at 1.25 + 0.5 M output at 10.
    assert!((gpt.cost.unwrap() - 8.75).abs() < 1e-9, "{:?}", gpt.cost);
    assert!((gpt.latency_ms_mean - 500.0 / 3.0).abs() < 1e-9);
}

#[test]
fn totals_per_key_and_day_name_the_unpriced_models() {
    let store = filled();
    store
        .upsert_price(&price("gpt-5", 1.0, 2.0), "now")
        .unwrap();
    let prices = store.prices().unwrap();
    let by_key = totals(&store.usage_slices(GroupBy::Key).unwrap(), &prices);
    let groups: Vec<(&str, u32)> = by_key
        .iter()
        .map(|t| (t.group.as_str(), t.requests))
        .collect();
    assert_eq!(groups, vec![("aaa", 3), ("bbb", 1)]);
    assert!((by_key[0].cost.unwrap() - 2.0).abs() < 1e-9);
    assert_eq!(
        by_key[0].unpriced_models,
        vec!["claude-sonnet-4-6".to_owned()]
    );
    assert!((by_key[1].cost.unwrap() - 2.0).abs() < 1e-9);
    let by_day = totals(&store.usage_slices(GroupBy::Day).unwrap(), &prices);
    let days: Vec<(&str, u32)> = by_day
        .iter()
        .map(|t| (t.group.as_str(), t.requests))
        .collect();
    assert_eq!(days, vec![("2026-12-01", 2), ("2026-12-02", 2)]);
}

#[test]
fn cached_tokens_follow_each_familys_counting() {
    let mut p = price("m", 2.0, 0.0);
    p.cached_input_per_mtok = Some(0.5);
    let t = TokenSums {
        input: 1_000_000,
        output: 0,
        cached: 400_000,
        reasoning: 0,
    };
    // OpenAI: 600k fresh at 2 + 400k cached at 0.5.
    assert!((p.token_cost(ChatFamily::OpenAiChat, &t).unwrap() - 1.4).abs() < 1e-9);
    // Anthropic's input excludes the cache reads: 1 M at 2 + 400k at 0.5.
    assert!((p.token_cost(ChatFamily::Anthropic, &t).unwrap() - 2.2).abs() < 1e-9);
    p.output_per_mtok = None;
    let with_output = TokenSums { output: 1, ..t };
    assert_eq!(p.token_cost(ChatFamily::OpenAiChat, &with_output), None);
}

#[test]
fn prices_are_validated_and_edited() {
    let store = Store::in_memory().unwrap();
    assert!(price("m", 1.0, 1.0).validate().is_ok());
    assert!(price("m", -1.0, 1.0).validate().is_err());
    assert!(price("m", f64::NAN, 1.0).validate().is_err());
    assert!(price("", 1.0, 1.0).validate().is_err());
    let mut eur = price("m", 1.0, 1.0);
    eur.currency = "eur".into();
    assert!(eur.validate().is_err());
    store.upsert_price(&price("m", 1.0, 1.0), "t").unwrap();
    store.upsert_price(&price("m", 3.0, 4.0), "t").unwrap();
    assert_eq!(store.prices().unwrap(), vec![price("m", 3.0, 4.0)]);
    assert!(store.delete_price("m").unwrap());
    assert!(store.prices().unwrap().is_empty());
}

#[test]
fn the_csv_has_one_line_per_row_and_quotes_what_needs_it() {
    let store = filled();
    let mut odd = entry(
        "2026-12-03T00:00:00Z",
        "=cmd,\"x\"",
        ChatFamily::Gemini,
        "ccc",
        1,
        2,
    );
    odd.workload = Some("chat".into());
    store.insert_usage(&odd).unwrap();
    let rows = store.usage_rows(100).unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[4].entry, odd);
    let csv = to_csv(&rows, &[]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[0].starts_with("at,run_id,connection_id,key_fingerprint"));
    assert!(
        lines[1].contains(",gpt-5,complete,200,1000000,500000,"),
        "{}",
        lines[1]
    );
    assert!(lines[4].contains(",failed,503,,,,"), "{}", lines[4]);
    assert!(lines[5].contains(r#","'=cmd,""x""","#), "{}", lines[5]);
}

fn key_row(
    id: &str,
    fingerprint: &str,
    team: Option<&str>,
    project: Option<&str>,
) -> crate::store::KeyRow {
    crate::store::KeyRow {
        id: id.into(),
        label: id.into(),
        team: team.map(Into::into),
        project: project.map(Into::into),
        environment: crate::keys::Environment::Dev,
        kind: crate::keys::KeyKind::Custom,
        prefix: "sk-".into(),
        fingerprint: fingerprint.into(),
        masked_key: "sk-…abcd".into(),
        created_at: "2026-12-01T00:00:00Z".into(),
        last_verified_at: None,
        last_verification: None,
        last_used_at: None,
        rotate_by: None,
        expires_at: None,
        status: crate::keys::KeyStatus::Active,
        notes: None,
        replaced_by: None,
        connection_id: None,
        keychain_missing_at: None,
    }
}

#[test]
fn totals_per_team_and_project_come_from_the_vaults_key_metadata() {
    let store = filled();
    // Key `aaa` is the platform team's, on no project; `bbb` is not in the vault.
    store
        .insert_key(&key_row("k1", "aaa", Some("platform"), None))
        .unwrap();
    let by_team = totals(&store.usage_slices(GroupBy::Team).unwrap(), &[]);
    let teams: Vec<(&str, u32)> = by_team
        .iter()
        .map(|t| (t.group.as_str(), t.requests))
        .collect();
    assert_eq!(teams, vec![("(none)", 1), ("platform", 3)]);
    let by_project = totals(&store.usage_slices(GroupBy::Project).unwrap(), &[]);
    let projects: Vec<(&str, u32)> = by_project
        .iter()
        .map(|t| (t.group.as_str(), t.requests))
        .collect();
    assert_eq!(projects, vec![("(none)", 4)]);
    store
        .insert_key(&key_row("k2", "bbb", Some(" "), Some("checkout")))
        .unwrap();
    let by_project = totals(&store.usage_slices(GroupBy::Project).unwrap(), &[]);
    assert_eq!(by_project[1].group, "checkout");
    assert_eq!(by_project[1].requests, 1);
    // A blank team is no team.
    let by_team = totals(&store.usage_slices(GroupBy::Team).unwrap(), &[]);
    assert_eq!(by_team[0].group, "(none)");
    assert_eq!(by_team[0].requests, 1);
}

#[test]
fn created_tasks_are_counted_once_and_costed_per_unit() {
    let store = filled();
    let task = |id: &str, route: &str, model: &str, units: TaskUnits| TaskUsageEntry {
        at: "2026-12-02T12:00:00Z".into(),
        task_id: id.into(),
        route: route.into(),
        model: model.into(),
        connection_id: Some("sandbox".into()),
        key_fingerprint: Some("aaa".into()),
        units,
    };
    let images = TaskUnits {
        images: 2,
        ..TaskUnits::default()
    };
    let song = TaskUnits {
        songs: 1,
        ..TaskUnits::default()
    };
    assert!(store
        .insert_task_usage(&task("t1", "openai.images", "gpt-image-1", images))
        .unwrap());
    // The same task again (a repeated submission) is not counted twice.
    assert!(!store
        .insert_task_usage(&task("t1", "openai.images", "gpt-image-1", images))
        .unwrap());
    store
        .insert_task_usage(&task("t2", "suno.generate", "V5", song))
        .unwrap();
    let mut p = price("gpt-image-1", 0.0, 0.0);
    p.per_image = Some(0.5);
    let prices = vec![p];
    let mut by_model = totals(&store.usage_slices(GroupBy::Model).unwrap(), &prices);
    add_tasks(
        &mut by_model,
        &store.task_usage_slices(GroupBy::Model).unwrap(),
        &prices,
    );
    let image = by_model.iter().find(|t| t.group == "gpt-image-1").unwrap();
    assert_eq!(
        (image.tasks, image.task_units.images, image.requests),
        (1, 2, 0)
    );
    assert!((image.cost.unwrap() - 1.0).abs() < 1e-12);
    let suno = by_model.iter().find(|t| t.group == "V5").unwrap();
    assert_eq!(suno.cost, None);
    assert_eq!(suno.unpriced_models, vec!["V5".to_owned()]);
    // The CSV has the tasks after the requests, with their units.
    let csv = to_csv(
        &store.usage_rows(100).unwrap(),
        &store.task_usage_rows(100).unwrap(),
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 4 + 2, "{csv}");
    let columns = lines[0].split(',').count();
    assert!(
        lines.iter().all(|l| l.split(',').count() == columns),
        "{csv}"
    );
    assert!(
        lines[5].ends_with(",task,gpt-image-1,created,,,,,,,,t1,openai.images,2,0,0"),
        "{}",
        lines[5]
    );
    // Per key, the tasks join the chat requests of the same key.
    let mut by_key = totals(&store.usage_slices(GroupBy::Key).unwrap(), &prices);
    add_tasks(
        &mut by_key,
        &store.task_usage_slices(GroupBy::Key).unwrap(),
        &prices,
    );
    let aaa = by_key.iter().find(|t| t.group == "aaa").unwrap();
    assert_eq!((aaa.requests, aaa.tasks), (3, 2));
}
