from mm_compat import spec
from mm_compat.paths import first_segment, normalise, param_names, route_key


def test_parameter_names_do_not_matter():
    assert normalise("/api/v4/users/{user_id}/teams/{team_id}") == "/api/v4/users/{}/teams/{}"
    assert route_key("get", "/api/v4/users/{id}") == route_key("GET", "/api/v4/users/{user_id}")
    assert normalise("/api/v4/users/") == "/api/v4/users"


def test_literal_segments_still_count():
    assert normalise("/api/v4/users/stats") != normalise("/api/v4/users/{user_id}")


def test_param_names_and_first_segment():
    assert param_names("/api/v4/users/{user_id}/posts/{post_id}") == ["user_id", "post_id"]
    assert first_segment("/api/v4/brand/image") == "brand"
    assert first_segment("/files/{file_id}/public") == "files"


def test_operations_from_a_file(ops):
    assert set(ops) >= {"GetUser", "ListUsers", "DeleteTeam", "GetBrandImage"}
    assert ops["GetUser"].method == "GET"
    assert ops["GetUser"].label == "GET /api/v4/users/{user_id}"


def test_area_is_the_first_tag_lower_cased_or_the_first_segment(ops):
    assert ops["SyncLdap"].area == ops["TestLdap"].area == "ldap"
    assert ops["GetBrandImage"].area == "brand"


def test_a_folder_of_source_files_is_concatenated(fixtures):
    document = spec.load_document(fixtures / "source")
    found = {op.operation_id for op in spec.operations(document)}
    assert found == {"GetUser", "GetTeam"}
    assert "User" in document["components"]["schemas"]


def test_describe_names_files_not_local_paths(fixtures, document):
    described = spec.describe(document, fixtures / "spec.yaml")
    assert described == {"title": "Test API", "version": "1.2.3", "file": "spec.yaml", "operations": 11}
