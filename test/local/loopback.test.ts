import { startTwin } from '../../local/server';

describe('the twin binds', () => {
  it('to loopback by default: it has no authentication', async () => {
    // Act
    const twin = await startTwin({ port: 0 });
    try {
      // Assert
      expect(twin.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await twin.close();
    }
  });
});
