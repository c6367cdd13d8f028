import { useEffect, useRef, type RefObject } from 'react';
import { useLocation } from 'react-router';

/**
 * After a client-side navigation to another path, moves focus to the main content so keyboard
 * and screen-reader users start at the new page (as a full page load would), not on a stale link.
 * The first render is left alone: the browser already starts at the top.
 */
export function useFocusOnNavigation(target: RefObject<HTMLElement | null>): void {
  const { pathname } = useLocation();
  const previousPathname = useRef(pathname);

  useEffect(() => {
    if (previousPathname.current === pathname) return;
    previousPathname.current = pathname;
    target.current?.focus();
  }, [pathname, target]);
}
