import { Link } from 'react-router-dom';

export function NotFoundRoute() {
  return (
    <div className="card narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <Link to="/" className="btn">See the events</Link>
    </div>
  );
}
