package phoneduty.shortlink;

import java.net.URI;

/**
 * A short link: its code, its full public URL ({@code BASE/r/CODE}) and the target it redirects to.
 * Drawn by {@link ShortLinks#reserve} and stored by {@link ShortLinks#store}.
 */
public record ShortLink(String code, String url, URI target) {}
