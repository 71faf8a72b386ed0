-- Who may do what in a project (issue #4): a Keycloak user or a Keycloak group, with one of
-- the roles of io.berth.security.ProjectRole (docs/security.md). A user's role in a project is
-- the highest of their own membership and their groups'.
CREATE TABLE project_members (
    project_id  bigint      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    member_kind text        NOT NULL CHECK (member_kind IN ('user', 'group')),
    member_name text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('projectAdmin', 'maintainer', 'developer', 'guest', 'limitedGuest')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, member_kind, member_name)
);
CREATE INDEX project_members_by_member ON project_members (member_kind, member_name);
COMMENT ON TABLE project_members IS 'owner: auth';
