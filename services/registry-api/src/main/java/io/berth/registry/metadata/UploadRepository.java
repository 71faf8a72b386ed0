package io.berth.registry.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.storage.CompletedPart;
import io.berth.storage.ObjectId;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Upload sessions ({@code uploads}). Progress is written with a compare-and-set on
 * {@code received_bytes} (and the multipart upload id), so two replicas appending to one session
 * at once cannot both win: the loser sees {@code false} and the row keeps the winner's state.
 */
@ApplicationScoped
public class UploadRepository {

    private static final TypeReference<List<CompletedPart>> PARTS = new TypeReference<>() {};

    private final DataSource db;
    private final ObjectMapper json;

    public UploadRepository(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Records a new, empty session whose bytes will become {@code blobs/<objectId>}. */
    public UploadSession create(UUID id, long repositoryId, ObjectId objectId) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("INSERT INTO uploads (id, repository_id, object_id) VALUES (?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setLong(2, repositoryId);
            ps.setObject(3, objectId.value());
            ps.executeUpdate();
            return new UploadSession(id, repositoryId, objectId, null, List.of(), 0, 0);
        } catch (SQLException e) {
            throw Sql.failure("create upload session", e);
        }
    }

    /** The session, if it exists and belongs to the repository (a uuid is not valid elsewhere). */
    public Optional<UploadSession> find(UUID id, long repositoryId) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("""
                        SELECT object_id, s3_upload_id, parts::text, received_bytes, tail_bytes
                        FROM uploads WHERE id = ? AND repository_id = ?""")) {
            ps.setObject(1, id);
            ps.setLong(2, repositoryId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new UploadSession(id, repositoryId, new ObjectId(rs.getObject(1, UUID.class)),
                        rs.getString(2), parseParts(rs.getString(3)), rs.getLong(4), rs.getInt(5)));
            }
        } catch (SQLException e) {
            throw Sql.failure("read upload session", e);
        }
    }

    /** Every session of the repository, for removing their bytes when the repository goes. */
    public List<UploadSession> ofRepository(long repositoryId) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("""
                        SELECT id, object_id, s3_upload_id, parts::text, received_bytes, tail_bytes
                        FROM uploads WHERE repository_id = ?""")) {
            ps.setLong(1, repositoryId);
            List<UploadSession> sessions = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sessions.add(new UploadSession(rs.getObject(1, UUID.class), repositoryId,
                            new ObjectId(rs.getObject(2, UUID.class)), rs.getString(3), parseParts(rs.getString(4)),
                            rs.getLong(5), rs.getInt(6)));
                }
            }
            return sessions;
        } catch (SQLException e) {
            throw Sql.failure("list upload sessions", e);
        }
    }

    /**
     * Stores {@code next} if the row still holds {@code previous}'s progress.
     *
     * @return false if the session was changed or removed meanwhile (nothing is written then)
     */
    public boolean advance(UploadSession previous, UploadSession next) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("""
                        UPDATE uploads SET s3_upload_id = ?, parts = ?::jsonb, received_bytes = ?,
                            tail_bytes = ?, object_id = ?, updated_at = now()
                        WHERE id = ? AND received_bytes = ? AND s3_upload_id IS NOT DISTINCT FROM ?
                            AND object_id = ?""")) {
            ps.setString(1, next.s3UploadId());
            ps.setString(2, json.writeValueAsString(next.parts()));
            ps.setLong(3, next.receivedBytes());
            ps.setInt(4, next.tailBytes());
            ps.setObject(5, next.objectId().value());
            ps.setObject(6, previous.id());
            ps.setLong(7, previous.receivedBytes());
            ps.setString(8, previous.s3UploadId());
            ps.setObject(9, previous.objectId().value());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Sql.failure("update upload session", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write upload parts as JSON", e);
        }
    }

    /** Removes the session; false if it was already gone. */
    public boolean delete(UUID id) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("DELETE FROM uploads WHERE id = ?")) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Sql.failure("delete upload session", e);
        }
    }

    private List<CompletedPart> parseParts(String text) {
        try {
            return Objects.requireNonNullElse(json.readValue(text, PARTS), List.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("uploads.parts is not a list of parts: " + text, e);
        }
    }
}
