-- auth remembers whether a project is public (ProjectVisibility, docs/adr/0026) and forgets it
-- when it hears 'project:<name>' on the credentials channel. A trigger, not the code that
-- changes a project, so that every way a row changes (the API, an operator's SQL, a test)
-- is heard by every replica at commit.
CREATE FUNCTION notify_project_visibility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('berth_credentials', 'project:' || OLD.name);
    RETURN NULL;
END;
$$;

CREATE TRIGGER projects_visibility_changed
    AFTER UPDATE OF public, name ON projects
    FOR EACH ROW WHEN (OLD.public IS DISTINCT FROM NEW.public OR OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION notify_project_visibility();

CREATE TRIGGER projects_deleted
    AFTER DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION notify_project_visibility();
