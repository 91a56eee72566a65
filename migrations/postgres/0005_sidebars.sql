-- A user's sidebar in a team: the categories, their order and the channels
-- placed in each, kept as one JSON document per user and team. Channels not
-- placed anywhere are added to the default categories when read.
CREATE TABLE sidebars (
    user_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (user_id, team_id)
);
