// Log in with Mattermost's official client, create a team, post, read back.
const { Client4 } = require('@mattermost/client');

async function main() {
  const client = new Client4();
  client.setUrl(process.env.MM_URL || 'http://localhost:8065');
  await client.createUser({ username: 'alice', email: 'alice@example.com', password: 'correct-horse' });
  const me = await client.login('alice', 'correct-horse');
  console.log('logged in as', me.username, 'roles:', me.roles);
  const team = await client.createTeam({ name: 'eng', display_name: 'Engineering', type: 'O' });
  const town = await client.getChannelByName(team.id, 'town-square');
  const post = await client.createPost({ channel_id: town.id, message: 'Hello from Client4' });
  const list = await client.getPosts(town.id);
  console.log('posted', post.id, '- read back:', list.order.map((id) => list.posts[id].message));
}

main().catch((e) => { console.error(e); process.exit(1); });
