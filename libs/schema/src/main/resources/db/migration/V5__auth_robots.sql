-- Robot accounts (issue #4): machine identities for CI. A project robot is named
-- robot$<project>+<name> and acts in its project only; a system robot is robot$<name> and holds
-- permissions in several projects. The secret is shown once and kept only as a bcrypt hash.
CREATE TABLE robots (
    id          bigserial   PRIMARY KEY,
    -- The full name clients log in with, e.g. robot$library+ci.
    name        text        NOT NULL UNIQUE,
    -- The project a project robot belongs to; NULL for a system robot.
    project_id  bigint      REFERENCES projects (id) ON DELETE CASCADE,
    secret_hash text        NOT NULL,
    -- NULL: never expires.
    expires_at  timestamptz,
    disabled    boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE robots IS 'owner: auth';

-- What a robot may do in each project: Docker scope actions (pull, push, delete).
CREATE TABLE robot_permissions (
    robot_id   bigint NOT NULL REFERENCES robots (id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    actions    text[] NOT NULL CHECK (actions <@ ARRAY['pull', 'push', 'delete']::text[]),
    PRIMARY KEY (robot_id, project_id)
);
COMMENT ON TABLE robot_permissions IS 'owner: auth';
