import { useRef, useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { PublicLayout } from '../components/public-layout';
import { errorMessage } from '../components/query-state';
import { useDocumentTitle } from '../components/use-document-title';
import { returnPathFrom, useLogin, useSessionQuery } from '../session';

export function LoginPage() {
  useDocumentTitle('Ingresar');
  const location = useLocation();
  const session = useSessionQuery();
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  // Bumped on every failed attempt so the alert is announced again even if the text repeats.
  const [attempt, setAttempt] = useState(0);
  const passwordRef = useRef<HTMLInputElement>(null);

  if (session.data) return <Navigate to={returnPathFrom(location.state)} replace />;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (login.isPending) return;
    if (username.trim() === '' || password === '') {
      setFormError('Escriba su usuario y su contraseña.');
      setAttempt((value) => value + 1);
      return;
    }
    setFormError(null);
    login.mutate(
      { username: username.trim(), password },
      {
        onError: (error) => {
          setFormError(errorMessage(error));
          setAttempt((value) => value + 1);
          setPassword('');
          passwordRef.current?.focus();
        },
      },
    );
  }

  return (
    <PublicLayout>
      <div className="card login">
        <h1>Ingresar</h1>
        <p className="muted">Cobranza social y mediación. Ingrese con el usuario que le asignaron.</p>
        {formError !== null && (
          <div key={attempt} role="alert" className="notice notice--error" data-testid="login-error">
            {formError}
          </div>
        )}
        <form className="form" onSubmit={handleSubmit} noValidate>
          <div className="field">
            <label htmlFor="login-username">Usuario</label>
            <input
              id="login-username"
              name="username"
              type="text"
              autoComplete="username"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              required
              value={username}
              onChange={(event) => setUsername(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="login-password">Contraseña</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              ref={passwordRef}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </div>
          <button type="submit" className="button button--primary button--block" aria-disabled={login.isPending}>
            Ingresar
          </button>
        </form>
      </div>
    </PublicLayout>
  );
}
